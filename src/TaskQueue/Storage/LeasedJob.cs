namespace TaskQueue.Storage;

/// <summary>A job handed to a worker, with the lease that fences its completion.</summary>
public sealed record LeasedJob
{
    /// <summary>The job id.</summary>
    public required JobId Id { get; init; }

    /// <summary>The stored job name.</summary>
    public required string Name { get; init; }

    /// <summary>The queue.</summary>
    public required string Queue { get; init; }

    /// <summary>The priority.</summary>
    public required Priority Priority { get; init; }

    /// <summary>The arguments as UTF-8 JSON.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>This attempt's number, 1 for the first.</summary>
    public required int Attempt { get; init; }

    /// <summary>Retries before dead letter.</summary>
    public required int MaxRetries { get; init; }

    /// <summary>Per-attempt timeout stored with the job, or null for the definition's.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>When the job was enqueued.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>The token of this attempt's lease; completions must carry it.</summary>
    public required string LeaseToken { get; init; }

    /// <summary>W3C traceparent of the enqueuing activity, or null.</summary>
    public string? TraceParent { get; init; }

    /// <summary>
    /// How many times workers that did not know the job's name handed it back (<see cref="CompletionKind.Defer"/>);
    /// 0 for almost every job.
    /// </summary>
    public int Deferrals { get; init; }

    /// <summary>The handle used to extend this lease.</summary>
    public LeaseHandle Lease => new(Queue, Id, LeaseToken);
}
