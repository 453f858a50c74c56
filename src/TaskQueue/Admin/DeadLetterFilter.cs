namespace TaskQueue.Admin;

/// <summary>Which dead letters a bulk requeue or delete acts on; every condition set must hold.</summary>
public sealed record DeadLetterFilter
{
    /// <summary>Every dead letter of the queue.</summary>
    public static DeadLetterFilter All { get; } = new();

    /// <summary>Only jobs with this stored job name (exact), or null for any.</summary>
    public string? JobName { get; init; }

    /// <summary>Only jobs whose last error contains this text (ordinal, case-sensitive), or null for any.</summary>
    public string? ErrorContains { get; init; }
}
