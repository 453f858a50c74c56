namespace TaskQueue;

/// <summary>The values a <see cref="JobAttribute"/> takes when they are not set.</summary>
public static class JobDefaults
{
    /// <summary>The queue jobs go to by default.</summary>
    public const string Queue = "default";

    /// <summary>Retries before a job becomes a dead letter.</summary>
    public const int MaxRetries = 3;

    /// <summary>The delay before the first retry, as attribute text.</summary>
    public const string RetryBaseDelayText = "00:00:01";

    /// <summary>The longest delay between attempts, as attribute text.</summary>
    public const string RetryMaxDelayText = "01:00:00";
}
