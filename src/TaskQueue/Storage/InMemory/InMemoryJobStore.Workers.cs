namespace TaskQueue.Storage;

/// <content>The worker registry.</content>
public sealed partial class InMemoryJobStore
{
    private readonly Dictionary<string, (WorkerInfo Worker, DateTimeOffset LastSeen, DateTimeOffset ExpiresAt)> _workers = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask HeartbeatWorkerAsync(WorkerInfo worker, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentException.ThrowIfNullOrEmpty(worker.Id, nameof(worker));
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, $"Worker '{worker.Id}': the heartbeat TTL must be positive.");
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            _workers[worker.Id] = (worker, now, now + ttl);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask RemoveWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workerId);
        lock (_gate)
        {
            _workers.Remove(workerId);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var live = new List<WorkerInfo>(_workers.Count);
            List<string>? expired = null;
            foreach (var (id, entry) in _workers)
            {
                if (entry.ExpiresAt <= now)
                {
                    (expired ??= []).Add(id);
                }
                else
                {
                    live.Add(entry.Worker with { LastSeen = entry.LastSeen });
                }
            }

            if (expired is not null)
            {
                foreach (var id in expired)
                {
                    _workers.Remove(id);
                }
            }

            live.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
            return ValueTask.FromResult<IReadOnlyList<WorkerInfo>>(live);
        }
    }
}
