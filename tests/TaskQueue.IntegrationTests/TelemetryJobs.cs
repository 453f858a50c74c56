namespace TaskQueue.IntegrationTests;

/// <summary>Jobs the telemetry tests run; <see cref="Hold"/> keeps its attempt running until released.</summary>
public static class TelemetryJobs
{
    public static TaskCompletionSource Release { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Job(Queue = "telemetry")]
    public static void Touch(int number) => _ = number;

    [Job(Queue = "telemetry-held")]
    public static Task Hold() => Release.Task;
}
