using Microsoft.Extensions.Logging;

namespace TaskQueue.Processing;

/// <summary>The worker's log messages, source-generated so the hot path neither boxes nor formats when a level is off.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(1, LogLevel.Information, "Worker {WorkerId} started on queues {Queues} with concurrency {Concurrency}")]
    public static partial void WorkerStarted(this ILogger logger, string workerId, string queues, int concurrency);

    [LoggerMessage(2, LogLevel.Information, "Worker {WorkerId} stopped")]
    public static partial void WorkerStopped(this ILogger logger, string workerId);

    [LoggerMessage(3, LogLevel.Warning, "Worker {WorkerId} is waiting for its job store ({Store}) to connect; it starts when the store is available")]
    public static partial void WaitingForStore(this ILogger logger, string workerId, string store);

    [LoggerMessage(4, LogLevel.Information, "Worker {WorkerId}: the job store ({Store}) connected after {Waited}; starting")]
    public static partial void StoreConnected(this ILogger logger, string workerId, string store, TimeSpan waited);

    [LoggerMessage(10, LogLevel.Debug, "Job {JobName} ({JobId}) attempt {Attempt} started")]
    public static partial void JobStarted(this ILogger logger, string jobName, string jobId, int attempt);

    [LoggerMessage(11, LogLevel.Information, "Job {JobName} ({JobId}) attempt {Attempt} succeeded in {ElapsedMs:0.0} ms")]
    public static partial void JobSucceeded(this ILogger logger, string jobName, string jobId, int attempt, double elapsedMs);

    [LoggerMessage(12, LogLevel.Warning, "Job {JobName} ({JobId}) attempt {Attempt} failed; retry {Retry} of {MaxRetries} in {RetryDelay}")]
    public static partial void JobRetrying(this ILogger logger, Exception exception, string jobName, string jobId, int attempt, int retry, int maxRetries, TimeSpan retryDelay);

    [LoggerMessage(13, LogLevel.Error, "Job {JobName} ({JobId}) attempt {Attempt} failed and moved to the dead letters: {Reason}")]
    public static partial void JobDeadLettered(this ILogger logger, Exception exception, string jobName, string jobId, int attempt, string reason);

    [LoggerMessage(14, LogLevel.Warning, "Job {JobName} ({JobId}) attempt {Attempt} timed out after {Timeout}; its token was cancelled and the attempt fails when the handler returns")]
    public static partial void JobTimedOut(this ILogger logger, string jobName, string jobId, int attempt, TimeSpan timeout);

    [LoggerMessage(15, LogLevel.Information, "Job {JobName} ({JobId}) attempt {Attempt} was cancelled through the store")]
    public static partial void JobCancelled(this ILogger logger, string jobName, string jobId, int attempt);

    [LoggerMessage(16, LogLevel.Warning, "Job {JobName} ({JobId}) attempt {Attempt} lost its lease (recovered or cancelled elsewhere); its handler was cancelled")]
    public static partial void LeaseLost(this ILogger logger, string jobName, string jobId, int attempt);

    [LoggerMessage(17, LogLevel.Information, "Job {JobName} ({JobId}) attempt {Attempt} was still running after the shutdown drain time; cancelled and returned to the queue")]
    public static partial void JobReleased(this ILogger logger, string jobName, string jobId, int attempt);

    [LoggerMessage(18, LogLevel.Warning, "Job {JobName} ({JobId}) attempt {Attempt} returned {OverrunMs:0} ms after its timeout; its concurrency slot and lease were held until then, so no other attempt of it ran meanwhile")]
    public static partial void JobOverran(this ILogger logger, string jobName, string jobId, int attempt, double overrunMs);

    [LoggerMessage(19, LogLevel.Warning, "This worker has no handler for job name {JobName} (queue {Queue}); such jobs are handed back uncounted for a worker that knows them, and dead-lettered after {GraceTime} (logged once per name)")]
    public static partial void UnknownJobName(this ILogger logger, string jobName, string queue, TimeSpan graceTime);

    [LoggerMessage(23, LogLevel.Debug, "Job {JobName} ({JobId}) is unknown to this worker; handed back for {Delay} (deferral {Deferral})")]
    public static partial void JobDeferred(this ILogger logger, string jobName, string jobId, TimeSpan delay, int deferral);

    [LoggerMessage(20, LogLevel.Warning, "The store rejected the {Kind} completion of job {JobId} in queue {Queue}: its lease is no longer current (recovered or cancelled meanwhile)")]
    public static partial void CompletionRejected(this ILogger logger, string kind, string jobId, string queue);

    [LoggerMessage(21, LogLevel.Error, "Gave up writing {Count} job completions at shutdown because the store kept failing; their leases will expire and the jobs will be recovered")]
    public static partial void CompletionsAbandoned(this ILogger logger, int count);

    [LoggerMessage(22, LogLevel.Warning, "Job {JobName} ({JobId}) attempt {Attempt} finished after the worker stopped flushing; its outcome is dropped and its lease will expire")]
    public static partial void CompletionDropped(this ILogger logger, string jobName, string jobId, int attempt);

    [LoggerMessage(30, LogLevel.Warning, "Store call {Operation} failed; retrying in {RetryDelay}")]
    public static partial void StoreFailed(this ILogger logger, Exception exception, string operation, TimeSpan retryDelay);

    [LoggerMessage(31, LogLevel.Information, "Recovered {Count} jobs with expired leases in queue {Queue}")]
    public static partial void LeasesRecovered(this ILogger logger, int count, string queue);

    [LoggerMessage(32, LogLevel.Error, "Unexpected error in the worker's {Loop} loop; it keeps running")]
    public static partial void LoopFailed(this ILogger logger, Exception exception, string loop);
}
