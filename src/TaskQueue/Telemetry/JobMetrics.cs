using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TaskQueue.Telemetry;

/// <summary>
/// TaskQueue's instruments. Every method checks <see cref="Instrument.Enabled"/> first, so with no listener a call
/// costs a field read and builds no tags.
/// </summary>
internal static class JobMetrics
{
    public static readonly Meter Meter = new(TaskQueueTelemetry.MeterName);

    private static readonly Counter<long> s_sent = Meter.CreateCounter<long>(
        "messaging.client.sent.messages", "{message}", "Jobs the client sent to the store.");

    private static readonly Counter<long> s_consumed = Meter.CreateCounter<long>(
        "messaging.client.consumed.messages", "{message}", "Attempts the worker started (one per fetched job).");

    private static readonly Counter<long> s_outcomes = Meter.CreateCounter<long>(
        "taskqueue.job.outcomes", "{attempt}", "Attempts by what they became (taskqueue.job.outcome).");

    private static readonly Histogram<double> s_processDuration = Meter.CreateHistogram<double>(
        "messaging.process.duration", "s", "How long handlers ran.");

    private static readonly Histogram<double> s_waitDuration = Meter.CreateHistogram<double>(
        "taskqueue.job.wait.duration", "s", "From enqueue to the start of the first attempt (includes any requested delay).");

    /// <summary>False while nobody listens to the sent counter: a bulk enqueue then skips counting job by job.</summary>
    public static bool SentEnabled => s_sent.Enabled;

    public static void Sent(string queue, string jobName, string? errorType)
    {
        if (s_sent.Enabled)
        {
            var tags = Tags(TelemetryTags.Send, queue, jobName);
            if (errorType is not null)
            {
                tags.Add(TelemetryTags.ErrorType, errorType);
            }

            s_sent.Add(1, tags);
        }
    }

    /// <summary>True when anyone listens to an instrument the worker records.</summary>
    public static bool WorkerInstrumentsEnabled
        => s_consumed.Enabled || s_outcomes.Enabled || s_processDuration.Enabled || s_waitDuration.Enabled;

    public static void Consumed(string queue, string jobName)
    {
        if (s_consumed.Enabled)
        {
            s_consumed.Add(1, Tags(TelemetryTags.Process, queue, jobName));
        }
    }

    public static void Outcome(string queue, string jobName, JobOutcome outcome, string? errorType)
    {
        if (s_outcomes.Enabled)
        {
            var tags = Tags(TelemetryTags.Process, queue, jobName);
            tags.Add(TelemetryTags.Outcome, outcome.ToTag());
            if (errorType is not null)
            {
                tags.Add(TelemetryTags.ErrorType, errorType);
            }

            s_outcomes.Add(1, tags);
        }
    }

    public static void ProcessDuration(string queue, string jobName, TimeSpan duration, string? errorType)
    {
        if (s_processDuration.Enabled)
        {
            var tags = Tags(TelemetryTags.Process, queue, jobName);
            if (errorType is not null)
            {
                tags.Add(TelemetryTags.ErrorType, errorType);
            }

            s_processDuration.Record(duration.TotalSeconds, tags);
        }
    }

    public static void WaitDuration(string queue, string jobName, TimeSpan wait)
    {
        if (s_waitDuration.Enabled)
        {
            // A store clock slightly ahead of this one must not record a negative wait.
            s_waitDuration.Record(Math.Max(0, wait.TotalSeconds), Tags(TelemetryTags.Process, queue, jobName));
        }
    }

    private static TagList Tags(string operation, string queue, string jobName) => new()
    {
        { TelemetryTags.MessagingSystem, TaskQueueTelemetry.MessagingSystem },
        { TelemetryTags.OperationName, operation },
        { TelemetryTags.DestinationName, queue },
        { TelemetryTags.JobName, jobName },
    };
}
