namespace TaskQueue.Storage;

public sealed partial class InMemoryJobStore
{
    /// <inheritdoc/>
    public ValueTask<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.Validate(MaxPayloadBytes);
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
        NewJob.ValidateAll(jobs, MaxPayloadBytes);

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
}
