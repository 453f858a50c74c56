using System.Diagnostics;
using TaskQueue.Client;
using TaskQueue.Storage;

namespace TaskQueue.Telemetry;

/// <summary>
/// TaskQueue's spans: <c>send {queue}</c> (Producer) around an enqueue and <c>process {queue}</c> (Consumer) around
/// an attempt. Every method returns null, and allocates nothing, when no listener samples the span.
/// </summary>
internal static class JobActivities
{
    public static readonly ActivitySource Source = new(TaskQueueTelemetry.SourceName);

    /// <summary>Starts the producer span of one job, or returns null.</summary>
    public static Activity? StartSend(string queue, string jobName)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(TelemetryTags.Send + " " + queue, ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            SetCommon(activity, TelemetryTags.Send, queue);
            activity.SetTag(TelemetryTags.JobName, jobName);
        }

        return activity;
    }

    /// <summary>Starts the producer span of a bulk enqueue, or returns null; queue and job name are set when all jobs share them.</summary>
    public static Activity? StartSendMany(IReadOnlyList<JobRequest> jobs)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        string? queue = null;
        string? jobName = null;
        var sameQueue = true;
        var sameName = true;
        for (var i = 0; i < jobs.Count; i++)
        {
            var request = jobs[i];
            var q = request.Options?.Queue ?? request.Job?.Queue;
            var n = request.Job?.Name;
            sameQueue &= i == 0 || string.Equals(q, queue, StringComparison.Ordinal);
            sameName &= i == 0 || string.Equals(n, jobName, StringComparison.Ordinal);
            queue ??= q;
            jobName ??= n;
        }

        queue = sameQueue ? queue : null;
        var activity = Source.StartActivity(queue is null ? TelemetryTags.Send : TelemetryTags.Send + " " + queue, ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            SetCommon(activity, TelemetryTags.Send, queue);
            activity.SetTag(TelemetryTags.BatchMessageCount, jobs.Count);
            if (sameName && jobName is not null)
            {
                activity.SetTag(TelemetryTags.JobName, jobName);
            }
        }

        return activity;
    }

    /// <summary>The W3C trace context to store with the job, or null (no span, or a non-W3C id format).</summary>
    public static string? TraceParentOf(Activity? activity)
        => activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;

    /// <summary>Starts the consumer span of an attempt as a child of the enqueue's span, or returns null.</summary>
    public static Activity? StartProcess(LeasedJob job)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // A missing or unreadable context makes the attempt a root span rather than failing it.
        ActivityContext.TryParse(job.TraceParent, null, isRemote: true, out var parent);
        var activity = Source.StartActivity(TelemetryTags.Process + " " + job.Queue, ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            SetCommon(activity, TelemetryTags.Process, job.Queue);
            activity.SetTag(TelemetryTags.MessageId, job.Id.Value);
            activity.SetTag(TelemetryTags.JobName, job.Name);
            activity.SetTag(TelemetryTags.Attempt, job.Attempt);
        }

        return activity;
    }

    /// <summary>Marks a failed operation: error status, <c>error.type</c> and an exception event.</summary>
    public static void SetError(this Activity activity, Exception exception, string? errorType = null)
    {
        errorType ??= TelemetryTags.ErrorTypeOf(exception);
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(TelemetryTags.ErrorType, errorType);
            activity.AddException(exception);
        }
    }

    /// <summary>Records what the attempt became.</summary>
    public static void SetOutcome(this Activity activity, JobOutcome outcome)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(TelemetryTags.Outcome, outcome.ToTag());
        }
    }

    private static void SetCommon(Activity activity, string operation, string? queue)
    {
        activity.SetTag(TelemetryTags.MessagingSystem, TaskQueueTelemetry.MessagingSystem);
        activity.SetTag(TelemetryTags.OperationType, operation);
        activity.SetTag(TelemetryTags.OperationName, operation);
        if (queue is not null)
        {
            activity.SetTag(TelemetryTags.DestinationName, queue);
        }
    }
}
