using TaskQueue.Telemetry;

// In OpenTelemetry's namespace, like every instrumentation library: found beside AddMeter without a using.
namespace OpenTelemetry.Metrics;

/// <summary>Subscribes an OpenTelemetry meter provider to TaskQueue's instruments.</summary>
public static class TaskQueueMeterProviderBuilderExtensions
{
    /// <summary>
    /// Records TaskQueue's instruments: sent and consumed jobs, outcomes, handler duration, enqueue-to-start latency and,
    /// in hosts made with <c>AddTaskQueue</c>, queue depth by state and running jobs (see <see cref="TaskQueueTelemetry"/>).
    /// </summary>
    public static MeterProviderBuilder AddTaskQueueInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(TaskQueueTelemetry.MeterName);
    }
}
