namespace TaskQueue;

/// <summary>Per-enqueue settings that override a job's <see cref="JobAttribute"/> defaults.</summary>
public sealed record JobOptions
{
    /// <summary>Run no earlier than this long after enqueue. Not together with <see cref="RunAt"/>.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Run no earlier than this instant. Not together with <see cref="Delay"/>.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>
    /// While a job with this key is remembered, enqueuing another with the same key (in the same queue)
    /// creates nothing and returns the first job's id.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>How long the key is remembered; the client's default (24 hours) when null.</summary>
    public TimeSpan? IdempotencyTtl { get; init; }

    /// <summary>Remember the key until the first job ends (succeeds, dead-letters or is cancelled) rather than for a fixed time.</summary>
    public bool UniqueUntilFinished { get; init; }

    /// <summary>Overrides the job's priority.</summary>
    public Priority? Priority { get; init; }

    /// <summary>Overrides the job's queue.</summary>
    public string? Queue { get; init; }

    /// <summary>Overrides the job's per-attempt timeout.</summary>
    public TimeSpan? Timeout { get; init; }
}
