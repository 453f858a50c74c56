using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

public sealed partial class RedisJobStore
{
    /// <summary>Dead letters requeued per script call by <see cref="RequeueAllDeadLettersAsync"/>, so no call blocks Redis for long.</summary>
    private const int RequeueAllBatch = 1000;

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<IReadOnlyList<JobInfo>> ListDeadLettersAsync(string queue, int offset, int count, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        cancellationToken.ThrowIfCancellationRequested();
        if (count == 0)
        {
            return [];
        }

        var queueKeys = _keys.For(queue);
        try
        {
            var db = await DbAsync().ConfigureAwait(false);
            var ids = await db.SortedSetRangeByRankAsync(queueKeys.Dead, offset, offset + count - 1, Order.Descending).ConfigureAwait(false);
            var reads = new Task<HashEntry[]>[ids.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                reads[i] = db.HashGetAllAsync(queueKeys.JobPrefix + ids[i].ToString());
            }

            var letters = new List<JobInfo>(ids.Length);
            for (var i = 0; i < ids.Length; i++)
            {
                // An id no JobId can hold was written by something else; the list goes on without it.
                var entries = await reads[i].ConfigureAwait(false);
                if (JobId.TryParse(ids[i].ToString(), out var id) && JobHashReader.Read(queue, id, entries, RedisValue.Null, fallbackState: JobState.Dead) is { } info)
                {
                    letters.Add(info);
                }
            }

            return letters;
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed($"list dead letters of queue '{queue}'", ex);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<bool> RequeueDeadLetterAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        ValidId(id);
        cancellationToken.ThrowIfCancellationRequested();
        return await RequeueDeadAsync(queue, id.Value, () => $"requeue dead letter {id} of queue '{queue}'").ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer; some may have been requeued.</exception>
    public async ValueTask<int> RequeueAllDeadLettersAsync(string queue, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        var total = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var moved = await RequeueDeadAsync(queue, string.Empty, () => $"requeue all dead letters of queue '{queue}' ({total} done)").ConfigureAwait(false);
            total += moved;
            if (moved < RequeueAllBatch)
            {
                return total;
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<bool> DeleteDeadLetterAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        ValidId(id);
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        var deleted = (int)await EvalAsync(RedisScripts.DeleteDead, [queueKeys.Dead], [queueKeys.JobPrefix, id.Value], () => $"delete dead letter {id} of queue '{queue}'").ConfigureAwait(false);
        return deleted == 1;
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<int> TrimDeadLettersAsync(string queue, int maxCount, TimeSpan maxAge, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAge, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        RedisValue[] args = [queueKeys.JobPrefix, maxCount, (long)Math.Min(maxAge.TotalMilliseconds, long.MaxValue / 2)];
        return (int)await EvalAsync(RedisScripts.TrimDead, [queueKeys.Dead], args, () => $"trim dead letters of queue '{queue}'").ConfigureAwait(false);
    }

    private async Task<int> RequeueDeadAsync(string queue, string id, Func<string> operation)
    {
        var queueKeys = _keys.For(queue);
        RedisValue[] args = [queueKeys.JobPrefix, _keys.WorkSignalChannel.ToString(), queue, id, RequeueAllBatch];
        return (int)await EvalAsync(RedisScripts.RequeueDead, queueKeys.StateKeys(), args, operation).ConfigureAwait(false);
    }
}
