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

        _finishedRetention = options.FinishedJobRetention;
    }

    /// <inheritdoc/>
    public ValueTask<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ValidateNewJob(job, nameof(job));
        EnqueueResult result;
        lock (_gate)
        {
            result = EnqueueLocked(job, _time.GetUtcNow());
        }

        return ValueTask.FromResult(result);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<EnqueueResult>> EnqueueManyAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        for (var i = 0; i < jobs.Count; i++)
        {
            ValidateNewJob(jobs[i], $"{nameof(jobs)}[{i}]");
        }

        var results = new EnqueueResult[jobs.Count];
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = EnqueueLocked(jobs[i], now);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<EnqueueResult>>(results);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<LeasedJob>> FetchAsync(FetchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        JobNames.ValidateQueueName(request.Queue, nameof(request));
        if (request.MaxJobs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.MaxJobs, $"FetchRequest.MaxJobs must be positive, but was {request.MaxJobs} (queue '{request.Queue}').");
        }

        if (request.LeaseDuration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.LeaseDuration, $"FetchRequest.LeaseDuration must be positive, but was {request.LeaseDuration} (queue '{request.Queue}').");
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_queues.TryGetValue(request.Queue, out var queue) || queue.Paused)
            {
                return ValueTask.FromResult<IReadOnlyList<LeasedJob>>([]);
            }

            PurgeFinishedLocked(queue, now);
            PromoteDueLocked(queue, now);
            List<LeasedJob>? leased = null;
            for (var p = 0; p < queue.Ready.Length && (leased?.Count ?? 0) < request.MaxJobs; p++)
            {
                var list = queue.Ready[p];
                while (list.First is { } node && (leased?.Count ?? 0) < request.MaxJobs)
                {
                    list.RemoveFirst();
                    var record = node.Value;
                    record.ReadyNode = null;
                    record.State = JobState.Active;
                    record.Attempt++;
                    record.LeaseToken = NewLeaseToken();
                    record.LeaseDeadline = now + request.LeaseDuration;
                    record.WorkerId = request.WorkerId;
                    record.Progress = null;
                    queue.Active.Add(record.Id, record);
                    (leased ??= new List<LeasedJob>(Math.Min(request.MaxJobs, 64))).Add(record.ToLeased());
                }
            }

            return ValueTask.FromResult<IReadOnlyList<LeasedJob>>(leased is null ? [] : leased);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JobCompletion>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        List<JobCompletion>? rejected = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            for (var i = 0; i < completions.Count; i++)
            {
                var completion = completions[i] ?? throw new ArgumentNullException(nameof(completions), $"completions[{i}] is null.");
                if (!TryCompleteLocked(completion, now))
                {
                    (rejected ??= []).Add(completion);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<JobCompletion>>(rejected is null ? [] : rejected);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<LeaseHandle>> ExtendLeasesAsync(IReadOnlyList<LeaseHandle> leases, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leases);
        if (leaseDuration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(leaseDuration), leaseDuration, "The lease duration must be positive.");
        }

        List<LeaseHandle>? lost = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            for (var i = 0; i < leases.Count; i++)
            {
                var lease = leases[i];
                if (TryGetLeasedLocked(lease, out var record))
                {
                    record.LeaseDeadline = now + leaseDuration;
                }
                else
                {
                    (lost ??= []).Add(lease);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<LeaseHandle>>(lost is null ? [] : lost);
    }

    /// <inheritdoc/>
    public ValueTask<int> RecoverExpiredLeasesAsync(string queue, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        var recovered = 0;
        lock (_gate)
        {
            if (!_queues.TryGetValue(queue, out var state) || state.Active.Count == 0)
            {
                return ValueTask.FromResult(0);
            }

            var now = _time.GetUtcNow();
            List<InMemoryJobRecord>? expired = null;
            foreach (var record in state.Active.Values)
            {
                if (record.LeaseDeadline <= now)
                {
                    (expired ??= []).Add(record);
                }
            }

            if (expired is null)
            {
                return ValueTask.FromResult(0);
            }

            // Oldest attempt first, so recovered jobs keep their relative order.
            expired.Sort(static (a, b) => a.LeaseDeadline.CompareTo(b.LeaseDeadline));
            foreach (var record in expired)
            {
                state.Active.Remove(record.Id);
                record.LeaseToken = null;
                record.LastError = "lease expired";
                state.CountFailed(now);
                if (record.Attempt > record.MaxRetries)
                {
                    MoveToDeadLocked(state, record, now);
                }
                else
                {
                    PushReadyLocked(state, record, atFront: false);
                }

                recovered++;
            }

            state.Signal();
        }

        return ValueTask.FromResult(recovered);
    }

    private EnqueueResult EnqueueLocked(NewJob job, DateTimeOffset now)
    {
        var queue = GetOrCreateQueueLocked(job.Queue);
        queue.HasReceivedJobs = true;
        PurgeFinishedLocked(queue, now);
        if (queue.Jobs.ContainsKey(job.Id))
        {
            // A re-send of a job whose first enqueue timed out after it was stored: store nothing twice.
            return new EnqueueResult(job.Id, Created: false);
        }

        if (job.IdempotencyKey is { } key)
        {
            if (queue.IdempotencyKeys.TryGetValue(key, out var entry) && (entry.ExpiresAt is null || entry.ExpiresAt > now))
            {
                return new EnqueueResult(entry.Id, Created: false);
            }

            queue.IdempotencyKeys[key] = new IdempotencyEntry(job.Id, job.UniqueUntilFinished ? null : now + job.IdempotencyTtl);
        }

        var record = new InMemoryJobRecord
        {
            Id = job.Id,
            Name = job.Name,
            Queue = job.Queue,
            Priority = job.Priority,
            Payload = job.Payload.ToArray(),
            MaxRetries = job.MaxRetries,
            Timeout = job.Timeout,
            EnqueuedAt = now,
            TraceParent = job.TraceParent,
            IdempotencyKey = job.IdempotencyKey,
            UniqueUntilFinished = job.UniqueUntilFinished,
        };
        queue.Jobs.Add(record.Id, record);

        var dueAt = job.RunAt ?? (job.Delay is { } delay ? now + delay : now);
        if (dueAt > now)
        {
            ScheduleLocked(queue, record, dueAt, isRetry: false);
        }
        else
        {
            PushReadyLocked(queue, record, atFront: false);
        }

        queue.Signal();
        return new EnqueueResult(record.Id, Created: true);
    }

    private bool TryCompleteLocked(JobCompletion completion, DateTimeOffset now)
    {
        if (!TryGetLeasedLocked(completion.Lease, out var record))
        {
            return false;
        }

        var queue = _queues[completion.Lease.Queue];
        queue.Active.Remove(record.Id);
        record.LeaseToken = null;
        switch (completion.Kind)
        {
            case CompletionKind.Succeeded:
                record.Result = completion.Result?.ToArray();
                queue.CountProcessed(now);
                FinishLocked(queue, record, JobState.Succeeded, now);
                break;
            case CompletionKind.Retry:
                record.LastError = completion.Error;
                queue.CountFailed(now);
                ScheduleLocked(queue, record, now + (completion.RetryDelay > TimeSpan.Zero ? completion.RetryDelay : TimeSpan.Zero), isRetry: true);
                queue.Signal();
                break;
            case CompletionKind.DeadLetter:
                record.LastError = completion.Error;
                queue.CountFailed(now);
                MoveToDeadLocked(queue, record, now);
                break;
            case CompletionKind.Release:
                // Shutdown, not failure: the attempt does not count and the job keeps its place at the head.
                record.Attempt = Math.Max(0, record.Attempt - 1);
                PushReadyLocked(queue, record, atFront: true);
                queue.Signal();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(completion), completion.Kind, $"Job '{record.Name}' ({record.Id}): unknown completion kind {(int)completion.Kind}.");
        }

        return true;
    }

    private bool TryGetLeasedLocked(LeaseHandle lease, out InMemoryJobRecord record)
    {
        if (lease.Queue is not null
            && _queues.TryGetValue(lease.Queue, out var queue)
            && queue.Active.TryGetValue(lease.Id, out var found)
            && string.Equals(found.LeaseToken, lease.LeaseToken, StringComparison.Ordinal))
        {
            record = found;
            return true;
        }

        record = null!;
        return false;
    }

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

    private static string NewLeaseToken() => Guid.NewGuid().ToString("N");

    private static void ValidateNewJob(NewJob job, string paramName)
    {
        ArgumentNullException.ThrowIfNull(job, paramName);
        if (!JobNames.IsValidJobName(job.Name))
        {
            throw new ArgumentException($"Job name '{job.Name}' is not valid: use 1 to {JobNames.MaxLength} characters of A-Z, a-z, 0-9, '-', '_', '.' or ':'.", paramName);
        }

        if (!JobNames.IsValidQueueName(job.Queue))
        {
            throw new ArgumentException($"Job '{job.Name}': queue name '{job.Queue}' is not valid: use 1 to {JobNames.MaxLength} characters of A-Z, a-z, 0-9, '-', '_' or '.'.", paramName);
        }

        if (job.Id.IsEmpty)
        {
            throw new ArgumentException($"Job '{job.Name}': NewJob.Id is empty; use JobId.New().", paramName);
        }

        if (!Enum.IsDefined(job.Priority))
        {
            throw new ArgumentOutOfRangeException(paramName, job.Priority, $"Job '{job.Name}': priority {(int)job.Priority} is not a Priority.");
        }

        if (job.MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, job.MaxRetries, $"Job '{job.Name}': MaxRetries must not be negative, but was {job.MaxRetries}.");
        }

        if (job.RunAt is not null && job.Delay is not null)
        {
            throw new ArgumentException($"Job '{job.Name}': set NewJob.RunAt or NewJob.Delay, not both (RunAt={job.RunAt:O}, Delay={job.Delay}).", paramName);
        }

        if (job.Delay is { } delay && delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, delay, $"Job '{job.Name}': Delay must not be negative, but was {delay}.");
        }

        if (job.IdempotencyKey is not null && !job.UniqueUntilFinished && job.IdempotencyTtl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, job.IdempotencyTtl, $"Job '{job.Name}': IdempotencyTtl must be positive, but was {job.IdempotencyTtl}.");
        }
    }
}
