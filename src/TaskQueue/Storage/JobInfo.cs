namespace TaskQueue.Storage;

/// <summary>Where a job is in its life.</summary>
public enum JobState
{
    /// <summary>Ready to be fetched.</summary>
    Pending = 0,

    /// <summary>Waiting for its run-at time or retry backoff.</summary>
    Scheduled = 1,

    /// <summary>Leased by a worker.</summary>
    Active = 2,

    /// <summary>Finished successfully (kept for the result retention time).</summary>
    Succeeded = 3,

    /// <summary>Out of retries (or unrunnable); kept in the dead letters.</summary>
    Dead = 4,

    /// <summary>Cancelled by an operator or caller.</summary>
    Cancelled = 5,
}

/// <summary>A snapshot of one job for operators and callers.</summary>
public sealed record JobInfo
{
    /// <summary>The id.</summary>
    public required JobId Id { get; init; }

    /// <summary>The stored job name.</summary>
    public required string Name { get; init; }

    /// <summary>The queue.</summary>
    public required string Queue { get; init; }

    /// <summary>The priority.</summary>
    public required Priority Priority { get; init; }

    /// <summary>The state.</summary>
    public required JobState State { get; init; }

    /// <summary>Attempts started so far.</summary>
    public required int Attempt { get; init; }

    /// <summary>Retries allowed.</summary>
    public required int MaxRetries { get; init; }

    /// <summary>The arguments as UTF-8 JSON.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>When it was enqueued.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>When it is due (scheduled jobs), or null.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>When it finished (succeeded, dead, cancelled), or null.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The result as UTF-8 JSON, or null.</summary>
    public ReadOnlyMemory<byte>? Result { get; init; }

    /// <summary>The last error, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>
    /// The errors of the last failed attempts (at most <see cref="JobAttemptError.MaxKept"/>), oldest first. A job
    /// handed back by a worker that did not know its name (<see cref="Deferrals"/>) shows that only in <see cref="LastError"/>.
    /// </summary>
    public IReadOnlyList<JobAttemptError> Errors { get; init; } = [];

    /// <summary>The id of the worker running it (<see cref="JobState.Active"/>), or null.</summary>
    public string? WorkerId { get; init; }

    /// <summary>When the running attempt started (<see cref="JobState.Active"/>), or null.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the running attempt's lease expires unless its worker extends it (<see cref="JobState.Active"/>), or null.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Progress 0-100 reported by the handler, or null.</summary>
    public double? Progress { get; init; }

    /// <summary>The idempotency key, or null.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>How many times workers that did not know the job's name handed it back (see <see cref="CompletionKind.Defer"/>).</summary>
    public int Deferrals { get; init; }
}
