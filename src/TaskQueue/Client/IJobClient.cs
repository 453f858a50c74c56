using TaskQueue.Storage;

namespace TaskQueue.Client;

/// <summary>
/// Puts jobs into storage. Generated proxies (<c>Jobs.SendEmail.EnqueueAsync(...)</c>) call this with the
/// job's definition and its serialized arguments; most code never calls it directly.
/// </summary>
public interface IJobClient
{
    /// <summary>Enqueues one job; returns its id (the first job's id when the idempotency key is taken).</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names the job, the option and the value).</exception>
    ValueTask<JobId> EnqueueAsync(JobDefinition job, ReadOnlyMemory<byte> payload, JobOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Enqueues many jobs in as few round trips as the store allows; ids are in input order.</summary>
    ValueTask<IReadOnlyList<JobId>> EnqueueManyAsync(IReadOnlyList<JobRequest> jobs, CancellationToken cancellationToken = default);

    /// <summary>Cancels a pending, scheduled or running job; false when it is unknown or already finished.</summary>
    ValueTask<bool> CancelAsync(string queue, JobId id, CancellationToken cancellationToken = default);

    /// <summary>Reads a job's state, result and last error; null when it does not exist (any more).</summary>
    ValueTask<JobInfo?> GetJobAsync(string queue, JobId id, CancellationToken cancellationToken = default);
}

/// <summary>One job of a bulk enqueue.</summary>
/// <param name="Job">The job's definition.</param>
/// <param name="Payload">Its arguments as UTF-8 JSON.</param>
/// <param name="Options">Per-job overrides, or null.</param>
public readonly record struct JobRequest(JobDefinition Job, ReadOnlyMemory<byte> Payload, JobOptions? Options = null);
