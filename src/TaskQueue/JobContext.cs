namespace TaskQueue;

/// <summary>
/// What a running job may know about itself. Declare a <see cref="JobContext"/> parameter on a
/// <see cref="JobAttribute"/> method and the worker passes it in; it is never serialized.
/// </summary>
public sealed class JobContext
{
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
}
