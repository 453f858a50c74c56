using TaskQueue.Storage;

namespace TaskQueue.Tests.Processing;

/// <summary>Wraps a store to simulate an outage (every call throws) or leases lost to another worker.</summary>
internal sealed class FlakyJobStore(IJobStore inner) : IJobStore
{
    private volatile bool _down;
    private volatile bool _loseLeases;
    private int _failures;

    /// <summary>While true, every call throws as if Redis were unreachable.</summary>
    public bool Down { get => _down; set => _down = value; }

    /// <summary>While true, lease extensions report every lease lost.</summary>
    public bool LoseLeases { get => _loseLeases; set => _loseLeases = value; }

    /// <summary>Calls that threw.</summary>
    public int Failures => Volatile.Read(ref _failures);

    public int MaxPayloadBytes => inner.MaxPayloadBytes;

    public ValueTask<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default) => Guard(() => inner.EnqueueAsync(job, cancellationToken));

    public ValueTask<IReadOnlyList<EnqueueResult>> EnqueueManyAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken = default) => Guard(() => inner.EnqueueManyAsync(jobs, cancellationToken));

    public ValueTask<IReadOnlyList<LeasedJob>> FetchAsync(FetchRequest request, CancellationToken cancellationToken = default) => Guard(() => inner.FetchAsync(request, cancellationToken));

    public ValueTask<IReadOnlyList<JobCompletion>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken = default) => Guard(() => inner.CompleteAsync(completions, cancellationToken));

    public ValueTask<IReadOnlyList<LeaseHandle>> ExtendLeasesAsync(IReadOnlyList<LeaseHandle> leases, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        => _loseLeases ? ValueTask.FromResult<IReadOnlyList<LeaseHandle>>([.. leases]) : Guard(() => inner.ExtendLeasesAsync(leases, leaseDuration, cancellationToken));

    public ValueTask<int> RecoverExpiredLeasesAsync(string queue, Func<ExpiredLease, JobCompletion> decide, CancellationToken cancellationToken = default) => Guard(() => inner.RecoverExpiredLeasesAsync(queue, decide, cancellationToken));

    public ValueTask WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        Throw();
        return inner.WaitForWorkAsync(queues, maxWait, cancellationToken);
    }

    public ValueTask<JobInfo?> GetJobAsync(string queue, JobId id, CancellationToken cancellationToken = default) => inner.GetJobAsync(queue, id, cancellationToken);

    public ValueTask<bool> CancelAsync(string queue, JobId id, CancellationToken cancellationToken = default) => inner.CancelAsync(queue, id, cancellationToken);

    public ValueTask<IAsyncDisposable> SubscribeToCancellationsAsync(Action<JobId> onCancel, CancellationToken cancellationToken = default) => Guard(() => inner.SubscribeToCancellationsAsync(onCancel, cancellationToken));

    public ValueTask<bool> SetProgressAsync(string queue, JobId id, string leaseToken, double percent, CancellationToken cancellationToken = default) => Guard(() => inner.SetProgressAsync(queue, id, leaseToken, percent, cancellationToken));

    public ValueTask<int> TrimDeadLettersAsync(string queue, int maxCount, TimeSpan maxAge, CancellationToken cancellationToken = default) => inner.TrimDeadLettersAsync(queue, maxCount, maxAge, cancellationToken);

    public ValueTask HeartbeatWorkerAsync(WorkerInfo worker, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        Throw();
        return inner.HeartbeatWorkerAsync(worker, ttl, cancellationToken);
    }

    public ValueTask RemoveWorkerAsync(string workerId, CancellationToken cancellationToken = default) => inner.RemoveWorkerAsync(workerId, cancellationToken);

    private ValueTask<T> Guard<T>(Func<ValueTask<T>> call)
    {
        Throw();
        return call();
    }

    private void Throw()
    {
        if (_down)
        {
            Interlocked.Increment(ref _failures);
            throw new InvalidOperationException("Simulated store outage: connection refused.");
        }
    }
}
