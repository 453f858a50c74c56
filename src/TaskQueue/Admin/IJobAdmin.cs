using TaskQueue.Storage;

namespace TaskQueue.Admin;

/// <summary>
/// What operators see and do: queues and their counts, jobs by state, one job in full, actions on jobs and dead
/// letters, pause/resume, workers and daily totals. Both stores implement it beside <see cref="IJobStore"/>, which
/// keeps only what clients and workers need; one contract suite holds both stores to the same behaviour.
/// </summary>
/// <remarks>
/// Every call costs in proportion to what it returns or changes, never to the number of jobs stored: a page of a
/// queue with a million jobs is read in milliseconds. Calls that act on a filtered set of dead letters work through
/// it in bounded batches.
/// </remarks>
public interface IJobAdmin
{
    /// <summary>Every queue that has received a job, with its counts by state, ordered by name.</summary>
    ValueTask<IReadOnlyList<QueueStats>> ListQueuesAsync(CancellationToken cancellationToken = default);

    /// <summary>The counts of one queue by state, and today's processed/failed counters.</summary>
    ValueTask<QueueStats> GetQueueStatsAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of the queue's jobs in <paramref name="state"/>, in the order that state is worked through (see
    /// <see cref="JobListState"/>), with the state's total. The order is stable: paging through a state that nothing
    /// changes meanwhile returns each job once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative, or <paramref name="count"/> is not within 1-<see cref="JobPage.MaxCount"/>.</exception>
    ValueTask<JobPage> ListJobsAsync(string queue, JobListState state, int offset, int count, CancellationToken cancellationToken = default);

    /// <summary>Reads a job in any state (arguments, errors of each attempt, the worker that holds it), or null when it does not exist (any more).</summary>
    ValueTask<JobInfo?> GetJobAsync(string queue, JobId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a pending, scheduled or retrying job (it never runs) or a running one (its handler's token fires and
    /// its outcome is discarded). False when the job is unknown or already finished.
    /// </summary>
    ValueTask<bool> CancelAsync(string queue, JobId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a job in any state; a running one is cancelled first (its handler's token fires). False when the job is unknown.
    /// </summary>
    ValueTask<bool> DeleteJobAsync(string queue, JobId id, CancellationToken cancellationToken = default);

    /// <summary>Makes a scheduled or retrying job ready now (its attempts are kept). False when it is in another state or unknown.</summary>
    ValueTask<bool> RunNowAsync(string queue, JobId id, CancellationToken cancellationToken = default);

    /// <summary>Moves one dead letter back to ready with a fresh attempt count; false when it is not a dead letter.</summary>
    ValueTask<bool> RequeueDeadLetterAsync(string queue, JobId id, CancellationToken cancellationToken = default);

    /// <summary>Moves the dead letters that match <paramref name="filter"/> back to ready with fresh attempt counts; returns how many.</summary>
    ValueTask<long> RequeueDeadLettersAsync(string queue, DeadLetterFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Deletes one dead letter; false when it is not a dead letter.</summary>
    ValueTask<bool> DeleteDeadLetterAsync(string queue, JobId id, CancellationToken cancellationToken = default);

    /// <summary>Deletes the dead letters that match <paramref name="filter"/>; returns how many.</summary>
    ValueTask<long> DeleteDeadLettersAsync(string queue, DeadLetterFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Stops the queue handing out jobs (enqueue still works; running jobs finish).</summary>
    ValueTask PauseAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Lets a paused queue hand out jobs again.</summary>
    ValueTask ResumeAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>The live workers, with the jobs each was running at its last heartbeat.</summary>
    ValueTask<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Processed and failed attempts of the queue per UTC day, oldest first, ending today: at most
    /// <paramref name="days"/> entries (1-<see cref="DailyTotals.MaxDays"/>; days before the store kept counts read as zero).
    /// </summary>
    ValueTask<IReadOnlyList<DailyTotals>> GetDailyTotalsAsync(string queue, int days, CancellationToken cancellationToken = default);

    /// <summary>Whether the store answers, how fast, and the servers behind it (for readiness checks and cluster status).</summary>
    ValueTask<StoreStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
