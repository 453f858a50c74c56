namespace TaskQueue.Storage;

/// <summary>
/// The embedded <see cref="IJobStore"/>: everything lives in this process and is lost when it exits.
/// It has exactly the semantics of the Redis store (the same contract test suite runs against both),
/// so code tested against it behaves the same in production. Thread-safe: one lock guards all state.
/// </summary>
/// <remarks>
/// Time comes from the <see cref="TimeProvider"/> given to the constructor, so tests can drive
/// delays, retries, lease expiry and retention with a fake clock.
/// </remarks>
public sealed partial class InMemoryJobStore : IJobStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, InMemoryQueue> _queues = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _finishedRetention;
    private long _sequence;

    /// <summary>Creates a store on the system clock with default settings.</summary>
    public InMemoryJobStore()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates a store.</summary>
    /// <param name="timeProvider">The clock for due times, leases and retention.</param>
    /// <param name="options">Settings, or null for the defaults.</param>
    public InMemoryJobStore(TimeProvider timeProvider, InMemoryJobStoreOptions? options = null)
    {
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        options ??= new InMemoryJobStoreOptions();
        if (options.FinishedJobRetention < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FinishedJobRetention, "InMemoryJobStoreOptions.FinishedJobRetention must not be negative.");
        }

        if (options.MaxPayloadBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxPayloadBytes, "InMemoryJobStoreOptions.MaxPayloadBytes must be positive.");
        }

        _finishedRetention = options.FinishedJobRetention;
        MaxPayloadBytes = options.MaxPayloadBytes;
    }

    /// <inheritdoc/>
    /// <remarks>Settable inside the assembly so tests can lower it over stored jobs (a restart with a lower limit).</remarks>
    public int MaxPayloadBytes { get; internal set; }

    private InMemoryQueue GetOrCreateQueueLocked(string name)
    {
        if (!_queues.TryGetValue(name, out var queue))
        {
            queue = new InMemoryQueue(name);
            _queues.Add(name, queue);
        }

        return queue;
    }

    private void PushReadyLocked(InMemoryQueue queue, InMemoryJobRecord record, bool atFront)
    {
        record.State = JobState.Pending;
        record.IsRetry = false;
        var list = queue.Ready[(int)record.Priority];
        record.ReadyNode = atFront ? list.AddFirst(record) : list.AddLast(record);
    }

    private void ScheduleLocked(InMemoryQueue queue, InMemoryJobRecord record, DateTimeOffset dueAt, bool isRetry)
    {
        record.State = JobState.Scheduled;
        record.IsRetry = isRetry;
        record.DueAt = dueAt;
        record.Sequence = ++_sequence;
        queue.Scheduled.Add(record);
    }

    private void MoveToDeadLocked(InMemoryQueue queue, InMemoryJobRecord record, DateTimeOffset now)
    {
        record.State = JobState.Dead;
        record.FinishedAt = now;
        record.Sequence = ++_sequence;
        queue.Dead.Add(record);
        ReleaseUniqueKeyLocked(queue, record);
    }

    /// <summary>Marks a job succeeded or cancelled; it stays readable for the retention time.</summary>
    private void FinishLocked(InMemoryQueue queue, InMemoryJobRecord record, JobState state, DateTimeOffset now)
    {
        record.State = state;
        record.FinishedAt = now;
        ReleaseUniqueKeyLocked(queue, record);
        queue.Finished.Enqueue(record);
    }

    private static void ReleaseUniqueKeyLocked(InMemoryQueue queue, InMemoryJobRecord record)
    {
        if (record.UniqueUntilFinished
            && record.IdempotencyKey is { } key
            && queue.IdempotencyKeys.TryGetValue(key, out var entry)
            && entry.Id == record.Id)
        {
            queue.IdempotencyKeys.Remove(key);
        }
    }

    /// <summary>Moves scheduled jobs that are due to the tail of their ready list, earliest first.</summary>
    private static void PromoteDueLocked(InMemoryQueue queue, DateTimeOffset now)
    {
        while (queue.Scheduled.Count > 0)
        {
            var first = queue.Scheduled.Min!;
            if (first.DueAt > now)
            {
                return;
            }

            queue.Scheduled.Remove(first);
            first.State = JobState.Pending;
            first.IsRetry = false;
            first.ReadyNode = queue.Ready[(int)first.Priority].AddLast(first);
        }
    }

    /// <summary>Forgets succeeded and cancelled jobs past the retention time, and expired idempotency keys.</summary>
    private void PurgeFinishedLocked(InMemoryQueue queue, DateTimeOffset now)
    {
        while (queue.Finished.TryPeek(out var record) && record.FinishedAt + _finishedRetention <= now)
        {
            queue.Finished.Dequeue();
            queue.Jobs.Remove(record.Id);
        }

        if (queue.IdempotencyKeys.Count > 0 && now >= queue.NextKeySweep)
        {
            // Amortized: sweep expired keys at most once a minute of store time.
            queue.NextKeySweep = now + TimeSpan.FromMinutes(1);
            List<string>? expired = null;
            foreach (var (key, entry) in queue.IdempotencyKeys)
            {
                if (entry.ExpiresAt <= now)
                {
                    (expired ??= []).Add(key);
                }
            }

            if (expired is not null)
            {
                foreach (var key in expired)
                {
                    queue.IdempotencyKeys.Remove(key);
                }
            }
        }
    }

}
