namespace TaskQueue.Storage;

/// <summary>Counts for one queue.</summary>
public sealed record QueueStats
{
    /// <summary>The queue.</summary>
    public required string Queue { get; init; }

    /// <summary>Ready to run.</summary>
    public long Pending { get; init; }

    /// <summary>Waiting for a run-at time (not retries).</summary>
    public long Scheduled { get; init; }

    /// <summary>Waiting for a retry backoff.</summary>
    public long Retrying { get; init; }

    /// <summary>Leased by workers.</summary>
    public long Active { get; init; }

    /// <summary>Dead letters.</summary>
    public long Dead { get; init; }

    /// <summary>Attempts that succeeded today (UTC).</summary>
    public long ProcessedToday { get; init; }

    /// <summary>Attempts that failed today (UTC), retried or not.</summary>
    public long FailedToday { get; init; }

    /// <summary>
    /// Attempts handed back today (UTC) because the worker that fetched them had no handler for the job's name
    /// (<see cref="CompletionKind.Defer"/>): non-zero during a rolling deploy, or when apps that know different jobs share the queue.
    /// </summary>
    public long DeferredToday { get; init; }

    /// <summary>True while paused.</summary>
    public bool Paused { get; init; }
}
