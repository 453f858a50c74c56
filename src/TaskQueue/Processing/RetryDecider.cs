using TaskQueue.Storage;

namespace TaskQueue.Processing;

/// <summary>
/// The one place that decides what a failed attempt becomes, for every kind of failure and for both stores: a retry
/// after the job's backoff, a deferral (unknown job name), or a dead letter. The worker's executor uses it for
/// exceptions, timeouts and unknown names; its lease recoverer passes it to
/// <see cref="IJobStore.RecoverExpiredLeasesAsync"/>, so a job recovered after a crash backs off like any failure.
/// </summary>
public sealed class RetryDecider
{
    /// <summary>The first wait of a job whose name the worker does not know; it doubles per deferral.</summary>
    public static readonly TimeSpan UnknownJobFirstDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between deferrals of a job whose name the worker does not know.</summary>
    public static readonly TimeSpan UnknownJobMaxDelay = TimeSpan.FromMinutes(1);

    private readonly TimeSpan _unknownJobGraceTime;
    private readonly Random? _jitter;

    /// <summary>Creates a decider.</summary>
    /// <param name="unknownJobGraceTime">How long a job whose name no worker that fetched it knows is deferred before it is dead-lettered.</param>
    /// <param name="jitter">The source of retry jitter (seed it in tests), or null for <see cref="Random.Shared"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unknownJobGraceTime"/> is negative.</exception>
    public RetryDecider(TimeSpan unknownJobGraceTime, Random? jitter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(unknownJobGraceTime, TimeSpan.Zero);
        _unknownJobGraceTime = unknownJobGraceTime;
        _jitter = jitter;
    }

    /// <summary>
    /// The outcome of a failed attempt.
    /// <list type="bullet">
    /// <item><see cref="FailureKind.Exception"/>, <see cref="FailureKind.Timeout"/>, <see cref="FailureKind.LeaseExpired"/>:
    /// <see cref="CompletionKind.Retry"/> after <paramref name="retry"/>'s delay while <paramref name="attempt"/> &lt;= <paramref name="maxRetries"/>, else <see cref="CompletionKind.DeadLetter"/>.</item>
    /// <item><see cref="FailureKind.InvalidPayload"/>: <see cref="CompletionKind.DeadLetter"/> at once.</item>
    /// <item><see cref="FailureKind.UnknownJob"/>: <see cref="CompletionKind.Defer"/> after <see cref="UnknownJobDelay"/>
    /// (the attempt is not counted), until the deferrals so far have waited the grace time; then <see cref="CompletionKind.DeadLetter"/>.</item>
    /// </list>
    /// </summary>
    /// <param name="lease">The attempt's lease; the completion carries it.</param>
    /// <param name="kind">Why it failed.</param>
    /// <param name="attempt">The attempt number (1 for the first).</param>
    /// <param name="maxRetries">Retries the job allows.</param>
    /// <param name="retry">The job's backoff (<see cref="RetryPolicy.Default"/> when the job is unknown here).</param>
    /// <param name="deferrals">How often the job was deferred before (<see cref="LeasedJob.Deferrals"/>).</param>
    /// <param name="error">The error to store with the job.</param>
    public JobCompletion Decide(LeaseHandle lease, FailureKind kind, int attempt, int maxRetries, RetryPolicy retry, int deferrals, string error)
    {
        ArgumentNullException.ThrowIfNull(retry);
        switch (kind)
        {
            case FailureKind.Exception or FailureKind.Timeout or FailureKind.LeaseExpired when attempt <= maxRetries:
                return new JobCompletion { Lease = lease, Kind = CompletionKind.Retry, RetryDelay = retry.GetDelay(Math.Max(attempt, 1), NextJitter()), Error = error };
            case FailureKind.UnknownJob when WaitedForUnknownJob(deferrals) < _unknownJobGraceTime:
                return new JobCompletion { Lease = lease, Kind = CompletionKind.Defer, RetryDelay = UnknownJobDelay(deferrals), Error = error };
            default:
                return new JobCompletion { Lease = lease, Kind = CompletionKind.DeadLetter, Error = error };
        }
    }

    /// <summary>The wait before a job with an unknown name is offered again after its <paramref name="deferrals"/>-th deferral: 1 s doubling, capped at 1 min.</summary>
    public static TimeSpan UnknownJobDelay(int deferrals)
    {
        var ticks = UnknownJobFirstDelay.Ticks * Math.Pow(2, Math.Clamp(deferrals, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(ticks, UnknownJobMaxDelay.Ticks));
    }

    /// <summary>
    /// The least time a job deferred <paramref name="deferrals"/> times has waited: the sum of its delays. A lower bound
    /// of the real time (each deferral waited at least its delay), so a job is never dead-lettered before the grace time.
    /// </summary>
    private static TimeSpan WaitedForUnknownJob(int deferrals)
    {
        var waited = TimeSpan.Zero;
        for (var d = 0; d < deferrals; d++)
        {
            var delay = UnknownJobDelay(d);
            waited += delay;
            if (delay == UnknownJobMaxDelay)
            {
                // From here every delay is the cap: add the rest in one step.
                waited += UnknownJobMaxDelay * (deferrals - d - 1);
                break;
            }
        }

        return waited;
    }

    private double NextJitter()
    {
        if (_jitter is null)
        {
            return Random.Shared.NextDouble();
        }

        lock (_jitter)
        {
            return _jitter.NextDouble();
        }
    }
}
