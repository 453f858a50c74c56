namespace TaskQueue.Telemetry;

/// <summary>Attribute names: the OpenTelemetry messaging conventions' where they have one, <c>taskqueue.*</c> for ours.</summary>
internal static class TelemetryTags
{
    public const string MessagingSystem = "messaging.system";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string DestinationName = "messaging.destination.name";
    public const string MessageId = "messaging.message.id";
    public const string BatchMessageCount = "messaging.batch.message_count";
    public const string ErrorType = "error.type";

    public const string JobName = "taskqueue.job.name";
    public const string Attempt = "taskqueue.job.attempt";
    public const string Outcome = "taskqueue.job.outcome";

    public const string Send = "send";
    public const string Process = "process";

    /// <summary>The <see cref="ErrorType"/> of an attempt that ran past its timeout (the HTTP conventions' value).</summary>
    public const string TimeoutError = "timeout";

    /// <summary>The <see cref="ErrorType"/> of an exception: its full type name, as the conventions ask.</summary>
    public static string ErrorTypeOf(Exception exception) => exception.GetType().FullName ?? exception.GetType().Name;
}
