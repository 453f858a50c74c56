namespace TaskQueue.Storage;

/// <summary>A worker process as the registry shows it.</summary>
public sealed record WorkerInfo
{
    /// <summary>Unique per process start.</summary>
    public required string Id { get; init; }

    /// <summary>Machine name.</summary>
    public required string Host { get; init; }

    /// <summary>Process id.</summary>
    public required int ProcessId { get; init; }

    /// <summary>Queues served.</summary>
    public required IReadOnlyList<string> Queues { get; init; }

    /// <summary>Jobs run at once at most.</summary>
    public required int Concurrency { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Jobs it was running at its last heartbeat.</summary>
    public int RunningJobs { get; init; }

    /// <summary>Last heartbeat (set by the store when listing).</summary>
    public DateTimeOffset? LastSeen { get; init; }
}
