namespace TaskQueue.Telemetry;

/// <summary>
/// The names to subscribe to for TaskQueue's traces and metrics, e.g. <c>tracing.AddSource(TaskQueueTelemetry.SourceName)</c>
/// and <c>metrics.AddMeter(TaskQueueTelemetry.MeterName)</c> with the OpenTelemetry SDK.
/// </summary>
/// <remarks>
/// Spans and metrics follow the OpenTelemetry messaging semantic conventions: a producer span <c>send {queue}</c> per
/// enqueue (one per bulk call, with <c>messaging.batch.message_count</c>) and a consumer span <c>process {queue}</c> per
/// attempt, parented to the producer span through the trace context stored with the job. Nothing is recorded, and
/// nothing allocated for it, while no listener is attached.
/// </remarks>
public static class TaskQueueTelemetry
{
    /// <summary>The name of TaskQueue's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string SourceName = "TaskQueue";

    /// <summary>The name of TaskQueue's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "TaskQueue";

    /// <summary>The value of the <c>messaging.system</c> attribute on every span and metric.</summary>
    public const string MessagingSystem = "taskqueue";
}
