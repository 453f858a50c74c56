using TaskQueue.Telemetry;

// In OpenTelemetry's namespace, like every instrumentation library: found beside AddSource without a using.
namespace OpenTelemetry.Trace;

/// <summary>Subscribes an OpenTelemetry tracer provider to TaskQueue's spans.</summary>
public static class TaskQueueTracerProviderBuilderExtensions
{
    /// <summary>
    /// Records TaskQueue's spans: a producer span <c>send {queue}</c> per enqueue and a consumer span <c>process {queue}</c>
    /// per attempt, parented to the enqueue's trace (see <see cref="TaskQueueTelemetry"/>).
    /// </summary>
    public static TracerProviderBuilder AddTaskQueueInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(TaskQueueTelemetry.SourceName);
    }
}
