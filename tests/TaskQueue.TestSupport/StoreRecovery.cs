using TaskQueue.Processing;
using TaskQueue.Storage;

namespace TaskQueue.TestSupport;

/// <summary>
/// Lease recovery for store tests: the worker's own <see cref="RetryDecider"/>, with a backoff of zero so a recovered
/// job is ready again at once (tests that check the backoff pass their own decision).
/// </summary>
public static class StoreRecovery
{
    /// <summary>The error every recovered job gets here.</summary>
    public const string Error = "lease expired";

    private static readonly RetryPolicy NoBackoff = new(RetryStrategy.Fixed, TimeSpan.Zero, TimeSpan.Zero);
    private static readonly RetryDecider Decider = new(TimeSpan.FromHours(1), new Random(7));

    /// <summary>Retries without backoff while retries are left, else dead-letters.</summary>
    public static JobCompletion RetryAtOnce(ExpiredLease expired)
        => Decider.Decide(expired.Lease, FailureKind.LeaseExpired, expired.Attempt, expired.MaxRetries, NoBackoff, deferrals: 0, Error);

    /// <summary>Recovers the queue's expired leases with <see cref="RetryAtOnce"/>.</summary>
    public static ValueTask<int> RecoverExpiredLeasesAsync(this IJobStore store, string queue, CancellationToken cancellationToken = default)
        => store.RecoverExpiredLeasesAsync(queue, RetryAtOnce, cancellationToken);
}
