namespace TaskQueue.Processing;

/// <summary>Settings of a the worker. Bound from the <c>TaskQueue:Worker</c> configuration section by the hosting package.</summary>
public sealed class WorkerOptions
{
    /// <summary>Queues served, in order of preference. Default: <c>["default"]</c>.</summary>
    public List<string> Queues { get; set; } = [JobDefaults.Queue];

    /// <summary>Jobs run at once at most. Default: processor count × 4 (jobs are usually I/O bound).</summary>
    public int Concurrency { get; set; } = Environment.ProcessorCount * 4;

    /// <summary>
    /// Jobs fetched per store call at most (never more than the free concurrency slots). Default: 64; against 32 it cut
    /// Redis CPU per drained job by a tenth (docs/benchmarks.md).
    /// </summary>
    public int FetchBatchSize { get; set; } = 64;

    /// <summary>How long a fetched job's lease lasts before another worker may recover it. Default: 30 s.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often leases of running jobs are extended. Default: 10 s (a third of the lease).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often expired leases are looked for. Default: 15 s.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest an idle worker waits before looking again when no signal arrives. Default: 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long shutdown waits for running jobs before cancelling them and returning them to the queue. Default: 25 s.</summary>
    public TimeSpan ShutdownDrainTime { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Completions sent to the store in one call at most. Default: 128.</summary>
    public int CompletionBatchSize { get; set; } = 128;

    /// <summary>Timeout of jobs that set none. Default: none.</summary>
    public TimeSpan? DefaultTimeout { get; set; }

    /// <summary>
    /// How long a job whose name this worker has no handler for keeps being handed back (uncounted, with a delay
    /// growing from 1 s to 1 min) for a worker that knows it, before it is dead-lettered. Covers rolling deploys,
    /// where old and new versions share a queue. Default: 1 hour.
    /// </summary>
    public TimeSpan UnknownJobGraceTime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Queues is null || Queues.Count == 0)
        {
            throw new ArgumentException("WorkerOptions.Queues must name at least one queue.");
        }

        foreach (var queue in Queues)
        {
            JobNames.ValidateQueueName(queue, nameof(Queues));
        }

        Positive(Concurrency, nameof(Concurrency));
        Positive(FetchBatchSize, nameof(FetchBatchSize));
        Positive(CompletionBatchSize, nameof(CompletionBatchSize));
        Positive(LeaseDuration, nameof(LeaseDuration));
        Positive(HeartbeatInterval, nameof(HeartbeatInterval));
        Positive(RecoveryInterval, nameof(RecoveryInterval));
        Positive(PollInterval, nameof(PollInterval));
        if (ShutdownDrainTime < TimeSpan.Zero)
        {
            throw new ArgumentException($"WorkerOptions.ShutdownDrainTime must not be negative, but was {ShutdownDrainTime}.");
        }

        if (HeartbeatInterval >= LeaseDuration)
        {
            throw new ArgumentException($"WorkerOptions.HeartbeatInterval ({HeartbeatInterval}) must be shorter than LeaseDuration ({LeaseDuration}), or leases expire between heartbeats.");
        }

        if (UnknownJobGraceTime < TimeSpan.Zero)
        {
            throw new ArgumentException($"WorkerOptions.UnknownJobGraceTime must not be negative, but was {UnknownJobGraceTime}.");
        }

        if (DefaultTimeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentException($"WorkerOptions.DefaultTimeout must be positive, but was {t}.");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"WorkerOptions.{name} must be positive, but was {value}.");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"WorkerOptions.{name} must be positive, but was {value}.");
        }
    }
}
