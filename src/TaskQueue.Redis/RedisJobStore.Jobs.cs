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
        var queueKeys = _keys.For(queue);
        HashEntry[] entries;
        RedisValue lease;
        try
        {
            // The lease first, then the hash (one connection keeps the order): a job that finished in between
            // reads as finished from the hash, one fetched in between reads as still pending. Never a lease
            // without its state.
            var db = await DbAsync().ConfigureAwait(false);
            var leaseRead = db.HashGetAsync(queueKeys.Leases, id.Value);
            var hashRead = db.HashGetAllAsync(queueKeys.Job(id));
            lease = await leaseRead.ConfigureAwait(false);
            entries = await hashRead.ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed($"read job {id} of queue '{queue}'", ex);
        }

        return JobHashReader.Read(queue, id, entries, lease, fallbackState: JobState.Pending);
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
