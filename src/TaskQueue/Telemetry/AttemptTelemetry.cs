using System.Diagnostics;
using TaskQueue.Storage;

namespace TaskQueue.Telemetry;

/// <summary>
/// The span and measurements of one attempt. Made only while someone listens (<see cref="Start"/> returns null
/// otherwise), so an unobserved worker pays one null check per call site.
/// </summary>
internal sealed class AttemptTelemetry
{
    private readonly LeasedJob _job;
    private readonly Activity? _activity;
    private long _handlerStarted;
    private bool _handlerRan;
    private string? _errorType;
    private int _decided;

    private AttemptTelemetry(LeasedJob job, Activity? activity)
    {
        _job = job;
        _activity = activity;
    }

    /// <summary>Starts the attempt's span and counts the attempt; null when nothing listens.</summary>
    public static AttemptTelemetry? Start(LeasedJob job)
    {
        if (!JobActivities.Source.HasListeners() && !JobMetrics.WorkerInstrumentsEnabled)
        {
            return null;
        }

        JobMetrics.Consumed(job.Queue, job.Name);
        return new AttemptTelemetry(job, JobActivities.StartProcess(job));
    }

    /// <summary>The handler is about to be invoked: starts its clock and records a first attempt's wait.</summary>
    public void HandlerStarting(TimeProvider time)
    {
        _handlerStarted = time.GetTimestamp();
        _handlerRan = true;
        if (_job.Attempt == 1)
        {
            JobMetrics.WaitDuration(_job.Queue, _job.Name, time.GetUtcNow() - _job.EnqueuedAt);
        }
    }

    /// <summary>The attempt failed: error status and an exception event on the span, <c>error.type</c> on its measurements.</summary>
    public void Failed(Exception exception, string errorType)
    {
        _errorType = errorType;
        _activity?.SetError(exception, errorType);
    }

    /// <summary>The attempt's outcome was decided; only the first call counts.</summary>
    public void Decided(JobOutcome outcome)
    {
        if (Interlocked.Exchange(ref _decided, 1) != 0)
        {
            return;
        }

        _activity?.SetOutcome(outcome);
        JobMetrics.Outcome(_job.Queue, _job.Name, outcome, _errorType);
    }

    /// <summary>The handler returned (or never ran): records its duration and ends the span.</summary>
    public void Stop(TimeProvider time)
    {
        if (_handlerRan)
        {
            JobMetrics.ProcessDuration(_job.Queue, _job.Name, time.GetElapsedTime(_handlerStarted), _errorType);
        }

        _activity?.Dispose();
    }
}
