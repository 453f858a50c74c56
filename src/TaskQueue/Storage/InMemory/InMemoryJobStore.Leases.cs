namespace TaskQueue.Storage;

public sealed partial class InMemoryJobStore
{
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
    /// <exception cref="ArgumentException"><paramref name="decide"/> returned a completion that is not a retry or dead letter of that lease.</exception>
    public ValueTask<int> RecoverExpiredLeasesAsync(string queue, Func<ExpiredLease, JobCompletion> decide, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        ArgumentNullException.ThrowIfNull(decide);
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
                var lease = new LeaseHandle(queue, record.Id, record.LeaseToken!);
                var completion = decide(new ExpiredLease
                {
                    Lease = lease,
                    Name = record.Name,
                    Attempt = record.Attempt,
                    MaxRetries = record.MaxRetries,
                    WorkerId = record.WorkerId,
                });
                if (completion is null || completion.Kind is not (CompletionKind.Retry or CompletionKind.DeadLetter) || completion.Lease != lease)
                {
                    throw new ArgumentException($"Recovering job '{record.Name}' ({record.Id}) in queue '{queue}': the decision must be a Retry or DeadLetter completion of the expired lease, but was {completion?.Kind.ToString() ?? "null"}.", nameof(decide));
                }

                // Applied only to the same lease, still expired: the decision may have let its worker (on this thread,
                // under this reentrant lock) extend or complete it meanwhile.
                if (!TryGetLeasedLocked(lease, out var current) || current.LeaseDeadline > now)
                {
                    continue;
                }

                // The same path as a worker's own completion: the attempt counts, a retry waits for its backoff.
                TryCompleteLocked(completion, now);
                recovered++;
            }

            state.Signal();
        }

        return ValueTask.FromResult(recovered);
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
}
