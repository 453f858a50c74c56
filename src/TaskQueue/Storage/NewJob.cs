namespace TaskQueue.Storage;

/// <summary>A job on its way into the store, with every default already resolved.</summary>
public sealed partial record NewJob
{
    /// <summary>The id the job will have (unless its idempotency key is taken).</summary>
    public required JobId Id { get; init; }

    /// <summary>The stored job name.</summary>
    public required string Name { get; init; }

    /// <summary>The queue.</summary>
    public required string Queue { get; init; }

    /// <summary>The priority.</summary>
    public required Priority Priority { get; init; }

    /// <summary>The arguments as UTF-8 JSON.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Retries before dead letter.</summary>
    public required int MaxRetries { get; init; }

    /// <summary>Per-attempt timeout, or null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Not before this instant (absolute), or null. At most one of <see cref="RunAt"/> and <see cref="Delay"/>.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>Not before this long after the store receives it, measured on the store's clock, or null.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>The idempotency key, or null.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>How long the key is remembered (ignored with <see cref="UniqueUntilFinished"/>).</summary>
    public TimeSpan IdempotencyTtl { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Hold the key until the job ends instead of for a fixed time.</summary>
    public bool UniqueUntilFinished { get; init; }

    /// <summary>W3C traceparent of the enqueuing activity, or null.</summary>
    public string? TraceParent { get; init; }
}
