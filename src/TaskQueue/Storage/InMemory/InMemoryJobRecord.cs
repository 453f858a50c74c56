namespace TaskQueue.Storage;

/// <summary>One job as the in-memory store keeps it; only touched under the store's lock.</summary>
internal sealed class InMemoryJobRecord
{
    public required JobId Id { get; init; }

    public required string Name { get; init; }

    public required string Queue { get; init; }

    public required Priority Priority { get; init; }

    public required byte[] Payload { get; init; }

    public required int MaxRetries { get; init; }

    public TimeSpan? Timeout { get; init; }

    public required DateTimeOffset EnqueuedAt { get; init; }

    public string? TraceParent { get; init; }

    public string? IdempotencyKey { get; init; }

    public bool UniqueUntilFinished { get; init; }

    public JobState State { get; set; }

    public int Attempt { get; set; }

    /// <summary>When a scheduled job falls due.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>True while scheduled for a retry backoff rather than a run-at time.</summary>
    public bool IsRetry { get; set; }

    /// <summary>Tie-breaker that keeps the sorted sets stable (insertion order); set on every insert.</summary>
    public long Sequence { get; set; }

    public string? LeaseToken { get; set; }

    public DateTimeOffset LeaseDeadline { get; set; }

    public string? WorkerId { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public byte[]? Result { get; set; }

    public string? LastError { get; set; }

    /// <summary>The errors of the last failed attempts, oldest first (at most <see cref="JobAttemptError.MaxKept"/>), or null.</summary>
    public List<JobAttemptError>? Errors { get; private set; }

    /// <summary>When the running attempt started.</summary>
    public DateTimeOffset StartedAt { get; set; }

    public double? Progress { get; set; }

    /// <summary>How often workers that did not know the job's name handed it back.</summary>
    public int Deferrals { get; set; }

    /// <summary>The node in the ready list while <see cref="JobState.Pending"/>, for O(1) cancel.</summary>
    public LinkedListNode<InMemoryJobRecord>? ReadyNode { get; set; }

    public JobInfo ToInfo() => new()
    {
        Id = Id,
        Name = Name,
        Queue = Queue,
        Priority = Priority,
        State = State,
        Attempt = Attempt,
        MaxRetries = MaxRetries,
        Payload = Payload,
        EnqueuedAt = EnqueuedAt,
        DueAt = State == JobState.Scheduled ? DueAt : null,
        FinishedAt = FinishedAt,
        Result = ResultOrNull(),
        LastError = LastError,
        Progress = Progress,
        IdempotencyKey = IdempotencyKey,
        Deferrals = Deferrals,
        Errors = Errors is null ? [] : [.. Errors],
        WorkerId = State == JobState.Active ? WorkerId : null,
        StartedAt = State == JobState.Active ? StartedAt : null,
        LeaseExpiresAt = State == JobState.Active ? LeaseDeadline : null,
    };

    /// <summary>Records a failed attempt's error as the last one and in the bounded history.</summary>
    public void RecordFailure(string? error, DateTimeOffset at)
    {
        LastError = error;
        Errors ??= [];
        if (Errors.Count == JobAttemptError.MaxKept)
        {
            Errors.RemoveAt(0);
        }

        Errors.Add(new JobAttemptError(Attempt, at, error ?? string.Empty));
    }

    /// <summary>Forgets the kept errors (a requeued dead letter starts its attempts again); the last error stays.</summary>
    public void ForgetErrors() => Errors = null;

    // Careful: a null byte[] converts implicitly to an empty ReadOnlyMemory, not to a null one.
    private ReadOnlyMemory<byte>? ResultOrNull()
    {
        if (Result is null)
        {
            return null;
        }

        return Result;
    }

    public LeasedJob ToLeased() => new()
    {
        Id = Id,
        Name = Name,
        Queue = Queue,
        Priority = Priority,
        Payload = Payload,
        Attempt = Attempt,
        MaxRetries = MaxRetries,
        Timeout = Timeout,
        EnqueuedAt = EnqueuedAt,
        LeaseToken = LeaseToken!,
        TraceParent = TraceParent,
        Deferrals = Deferrals,
    };
}
