namespace TaskQueue.Storage;

/// <summary>
/// The contract every storage backend meets (in-memory, Redis): what clients and workers need. One contract test
/// suite runs against every implementation, so the embedded default behaves exactly like production. What operators
/// need is <see cref="Admin.IJobAdmin"/>, which both stores implement beside this.
/// </summary>
/// <remarks>
/// Semantics all implementations share:
/// <list type="bullet">
/// <item>Strict priority within a queue (every Critical before any High ...), FIFO within one priority.</item>
/// <item>A fetched job is leased: it carries a <see cref="LeasedJob.LeaseToken"/> and an attempt number
/// counted at fetch. Completing with a stale token is rejected (the job was recovered or cancelled meanwhile).</item>
/// <item>A lease that expires without completion or extension is recovered: the store hands each expired lease to
/// the caller's decision (<see cref="RecoverExpiredLeasesAsync"/>), which retries it after a backoff like any other
/// failure (its attempt counted) or dead-letters it. Stores never decide retries themselves.</item>
/// <item>Delayed jobs and retries are never fetched before they are due; the store's own clock decides.</item>
/// <item>A paused queue hands out nothing; enqueue into it still works.</item>
/// </list>
/// </remarks>
public interface IJobStore
{
    /// <summary>
    /// The largest payload this store accepts, in bytes (the store options' <c>MaxPayloadBytes</c>, default
    /// <see cref="NewJob.DefaultMaxPayloadBytes"/>). An enqueue of a larger one throws <see cref="ArgumentException"/>
    /// (<see cref="NewJob.Validate"/>) and stores nothing; a larger one found at fetch (stored before the limit was
    /// lowered, or by another application) is dead-lettered on its own with an error naming its size and the limit.
    /// </summary>
    int MaxPayloadBytes { get; }

    /// <summary>Stores a new job, or returns the existing one's id when its idempotency key is taken.</summary>
    ValueTask<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default);

    /// <summary>Stores many jobs in as few round trips as the backend allows; results are in input order.</summary>
    ValueTask<IReadOnlyList<EnqueueResult>> EnqueueManyAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken = default);

    /// <summary>
    /// Promotes due scheduled jobs of the queue, then leases up to <see cref="FetchRequest.MaxJobs"/> ready jobs
    /// by strict priority. Returns an empty list when nothing is ready or the queue is paused.
    /// </summary>
    ValueTask<IReadOnlyList<LeasedJob>> FetchAsync(FetchRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the outcome of finished attempts in one batch. Returns the completions that were rejected
    /// because their lease token is no longer current (nothing was changed for those).
    /// </summary>
    ValueTask<IReadOnlyList<JobCompletion>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken = default);

    /// <summary>Pushes the lease deadline of running jobs out by <paramref name="leaseDuration"/>; returns the leases that were no longer held.</summary>
    ValueTask<IReadOnlyList<LeaseHandle>> ExtendLeasesAsync(IReadOnlyList<LeaseHandle> leases, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Recovers the queue's jobs whose lease has expired (oldest first, a bounded number per call): for each, calls
    /// <paramref name="decide"/> and records the <see cref="CompletionKind.Retry"/> or <see cref="CompletionKind.DeadLetter"/>
    /// completion it returns, with the attempt counted, but only if that lease is still current and still expired when
    /// the store applies it (a worker that renewed it in time keeps its job). A job whose stored data is malformed is
    /// dead-lettered with an error naming the field, without calling <paramref name="decide"/>. Returns how many jobs were recovered.
    /// </summary>
    ValueTask<int> RecoverExpiredLeasesAsync(string queue, Func<ExpiredLease, JobCompletion> decide, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when one of <paramref name="queues"/> may have work: a job was enqueued or became ready,
    /// a scheduled job falls due, or <paramref name="maxWait"/> passed. Never throws on timeout.
    /// </summary>
    ValueTask WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>Reads a job in any state, or null when it does not exist (any more).</summary>
    ValueTask<JobInfo?> GetJobAsync(string queue, JobId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a pending or scheduled job (removed, never runs) or a running one (its handler's token fires
    /// through <see cref="SubscribeToCancellationsAsync"/> and its outcome is discarded). False when the job is unknown or already finished.
    /// </summary>
    ValueTask<bool> CancelAsync(string queue, JobId id, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="onCancel"/> for every running job cancelled through <see cref="CancelAsync"/>, from any process, until disposed.</summary>
    ValueTask<IAsyncDisposable> SubscribeToCancellationsAsync(Action<JobId> onCancel, CancellationToken cancellationToken = default);

    /// <summary>Records a running job's progress (0-100) for operators.</summary>
    ValueTask<bool> SetProgressAsync(string queue, JobId id, string leaseToken, double percent, CancellationToken cancellationToken = default);

    /// <summary>Deletes the oldest dead letters beyond <paramref name="maxCount"/> and those older than <paramref name="maxAge"/>; returns how many.</summary>
    ValueTask<int> TrimDeadLettersAsync(string queue, int maxCount, TimeSpan maxAge, CancellationToken cancellationToken = default);

    /// <summary>Registers or refreshes a worker process; entries not refreshed within <paramref name="ttl"/> disappear.</summary>
    ValueTask HeartbeatWorkerAsync(WorkerInfo worker, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Removes a worker's entry (graceful shutdown).</summary>
    ValueTask RemoveWorkerAsync(string workerId, CancellationToken cancellationToken = default);
}
