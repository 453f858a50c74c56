namespace TaskQueue.Storage;

/// <summary>
/// An attempt whose lease ran out before its worker recorded an outcome (the worker crashed, was killed or stalled),
/// as <see cref="IJobStore.RecoverExpiredLeasesAsync"/> hands it to the caller's retry decision.
/// </summary>
public sealed record ExpiredLease
{
    /// <summary>The expired lease; the decision's completion must carry it.</summary>
    public required LeaseHandle Lease { get; init; }

    /// <summary>The stored job name.</summary>
    public required string Name { get; init; }

    /// <summary>The attempt that held the lease (1 for the first); it counts as a failed attempt.</summary>
    public required int Attempt { get; init; }

    /// <summary>Retries before dead letter.</summary>
    public required int MaxRetries { get; init; }

    /// <summary>The worker that held the lease, or null when the store does not know.</summary>
    public string? WorkerId { get; init; }
}
