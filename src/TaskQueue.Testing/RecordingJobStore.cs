using TaskQueue.Admin;
using TaskQueue.Storage;

namespace TaskQueue.Testing;

/// <summary>
/// The in-memory store with every enqueue recorded for <see cref="JobTestHarness"/>, after the job's own generated
/// reader has accepted its arguments (so a payload that would not round-trip fails the test where it was enqueued).
/// </summary>
internal sealed class RecordingJobStore(InMemoryJobStore inner, Func<string, JobDefinition?> findJob, TimeProvider time) : IJobStore
{
    private readonly Lock _gate = new();
    private readonly List<EnqueuedJob> _enqueued = [];

    public InMemoryJobStore Inner => inner;

    public IJobAdmin Admin => inner;

    public int MaxPayloadBytes => inner.MaxPayloadBytes;

    public IReadOnlyList<EnqueuedJob> Enqueued
    {
        get
        {
            lock (_gate)
            {
                return [.. _enqueued];
            }
        }
    }

    public async ValueTask<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        RequireRoundTrip(job);
        var result = await inner.EnqueueAsync(job, cancellationToken).ConfigureAwait(false);
        Record(job, result);
        return result;
    }

    public async ValueTask<IReadOnlyList<EnqueueResult>> EnqueueManyAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken = default)
    {
        foreach (var job in jobs)
        {
            RequireRoundTrip(job);
        }

        var results = await inner.EnqueueManyAsync(jobs, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < jobs.Count; i++)
        {
            Record(jobs[i], results[i]);
        }

        return results;
    }

    public ValueTask<IReadOnlyList<LeasedJob>> FetchAsync(FetchRequest request, CancellationToken cancellationToken = default) => inner.FetchAsync(request, cancellationToken);

    public ValueTask<IReadOnlyList<JobCompletion>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken = default) => inner.CompleteAsync(completions, cancellationToken);

    public ValueTask<IReadOnlyList<LeaseHandle>> ExtendLeasesAsync(IReadOnlyList<LeaseHandle> leases, TimeSpan leaseDuration, CancellationToken cancellationToken = default) => inner.ExtendLeasesAsync(leases, leaseDuration, cancellationToken);

    public ValueTask<int> RecoverExpiredLeasesAsync(string queue, Func<ExpiredLease, JobCompletion> decide, CancellationToken cancellationToken = default) => inner.RecoverExpiredLeasesAsync(queue, decide, cancellationToken);

    public ValueTask WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default) => inner.WaitForWorkAsync(queues, maxWait, cancellationToken);

    public ValueTask<JobInfo?> GetJobAsync(string queue, JobId id, CancellationToken cancellationToken = default) => inner.GetJobAsync(queue, id, cancellationToken);

    public ValueTask<bool> CancelAsync(string queue, JobId id, CancellationToken cancellationToken = default) => inner.CancelAsync(queue, id, cancellationToken);

    public ValueTask<IAsyncDisposable> SubscribeToCancellationsAsync(Action<JobId> onCancel, CancellationToken cancellationToken = default) => inner.SubscribeToCancellationsAsync(onCancel, cancellationToken);

    public ValueTask<bool> SetProgressAsync(string queue, JobId id, string leaseToken, double percent, CancellationToken cancellationToken = default) => inner.SetProgressAsync(queue, id, leaseToken, percent, cancellationToken);

    public ValueTask<int> TrimDeadLettersAsync(string queue, int maxCount, TimeSpan maxAge, CancellationToken cancellationToken = default) => inner.TrimDeadLettersAsync(queue, maxCount, maxAge, cancellationToken);

    public ValueTask HeartbeatWorkerAsync(WorkerInfo worker, TimeSpan ttl, CancellationToken cancellationToken = default) => inner.HeartbeatWorkerAsync(worker, ttl, cancellationToken);

    public ValueTask RemoveWorkerAsync(string workerId, CancellationToken cancellationToken = default) => inner.RemoveWorkerAsync(workerId, cancellationToken);

    private void RequireRoundTrip(NewJob job)
    {
        if (findJob(job.Name)?.ArgumentsValidator is not { } validate)
        {
            return;
        }

        try
        {
            validate(job.Payload);
        }
        catch (JobPayloadException exception)
        {
            // Raised where the test enqueued, not later as a dead letter: the worker's own reader refuses these arguments.
            throw new JobPayloadException(exception.JobName, exception.Parameter, exception.JsonPath, "the enqueued arguments would not round-trip: the job's generated reader refuses them, so it could never run (see the inner exception)", exception);
        }
    }

    private void Record(NewJob job, EnqueueResult result)
    {
        lock (_gate)
        {
            _enqueued.Add(EnqueuedJob.From(job, result, time.GetUtcNow()));
        }
    }
}
