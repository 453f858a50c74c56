using System.Globalization;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

public sealed partial class RedisJobStore
{
    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<JobInfo?> GetJobAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        ValidId(id);
        cancellationToken.ThrowIfCancellationRequested();
        var jobs = await ReadJobsAsync(queue, [id], JobState.Pending, $"read job {id} of queue '{queue}'").ConfigureAwait(false);
        return jobs.Count == 1 ? jobs[0] : null;
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<bool> CancelAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        ValidId(id);
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        RedisValue[] args =
        [
            queueKeys.JobPrefix,
            queueKeys.IdempotencyPrefix,
            id.Value,
            _keys.CancelChannel.ToString(),
            _resultRetentionMs,
            (string)queueKeys.Cancelled!,
        ];
        var cancelled = (int)await EvalAsync(RedisScripts.Cancel, queueKeys.StateKeys(), args, () => $"cancel job {id} of queue '{queue}'").ConfigureAwait(false);
        return cancelled == 1;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The percentage is not within 0-100.</exception>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<bool> SetProgressAsync(string queue, JobId id, string leaseToken, double percent, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        ValidId(id);
        ArgumentNullException.ThrowIfNull(leaseToken);
        if (double.IsNaN(percent) || percent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, $"Progress of job {id} in queue '{queue}' must be within 0-100, but was {percent}.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        RedisValue[] args = [leaseToken, percent.ToString("R", CultureInfo.InvariantCulture), id.Value];
        var recorded = (int)await EvalAsync(RedisScripts.Progress, [queueKeys.Job(id), queueKeys.Leases], args, () => $"record progress of job {id} in queue '{queue}'").ConfigureAwait(false);
        return recorded == 1;
    }
}
