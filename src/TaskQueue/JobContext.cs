using TaskQueue.Storage;

namespace TaskQueue;

/// <summary>
/// What a running job may know about itself. Declare a <see cref="JobContext"/> parameter on a
/// <see cref="JobAttribute"/> method and the worker passes it in; it is never serialized.
/// </summary>
public sealed class JobContext
{
    // Where ReportProgressAsync records progress: the store and the attempt's lease (null outside a worker).
    private readonly IJobStore? _store;
    private readonly string? _leaseToken;

    /// <summary>Creates a context; the worker does this for every attempt.</summary>
    public JobContext(JobId id, string name, string queue, int attempt, DateTimeOffset enqueuedAt, IServiceProvider services, CancellationToken cancellationToken)
    {
        Id = id;
        Name = name;
        Queue = queue;
        Attempt = attempt;
        EnqueuedAt = enqueuedAt;
        Services = services;
        CancellationToken = cancellationToken;
    }

    /// <summary>The worker's context: progress is recorded against <paramref name="leaseToken"/> in <paramref name="store"/>.</summary>
    internal JobContext(JobId id, string name, string queue, int attempt, DateTimeOffset enqueuedAt, IServiceProvider services, CancellationToken cancellationToken, IJobStore store, string leaseToken)
        : this(id, name, queue, attempt, enqueuedAt, services, cancellationToken)
    {
        _store = store;
        _leaseToken = leaseToken;
    }

    /// <summary>The job's id, the same on every attempt: use it to make side effects idempotent.</summary>
    public JobId Id { get; }

    /// <summary>The stored job name.</summary>
    public string Name { get; }

    /// <summary>The queue the job was taken from.</summary>
    public string Queue { get; }

    /// <summary>1 on the first attempt, 2 on the first retry, and so on.</summary>
    public int Attempt { get; }

    /// <summary>When the job was enqueued.</summary>
    public DateTimeOffset EnqueuedAt { get; }

    /// <summary>The services of this attempt (a DI scope per attempt for instance jobs).</summary>
    public IServiceProvider Services { get; }

    /// <summary>Fires on timeout, cancellation of the job, or worker shutdown past its drain time.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// Records how far this attempt got (0-100), where operators see it: the dashboard's job page, the HTTP API and
    /// <c>tq jobs show</c>. A new attempt starts without progress.
    /// </summary>
    /// <returns>True when recorded; false when this attempt no longer holds the job (its lease was lost or the job was
    /// cancelled) or the context was not made by a worker.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is not within 0-100.</exception>
    public ValueTask<bool> ReportProgressAsync(double percent, CancellationToken cancellationToken = default)
    {
        if (double.IsNaN(percent) || percent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, $"Progress of job '{Name}' ({Id}) must be within 0-100, but was {percent}.");
        }

        return _store is null ? ValueTask.FromResult(false) : _store.SetProgressAsync(Queue, Id, _leaseToken!, percent, cancellationToken);
    }
}
