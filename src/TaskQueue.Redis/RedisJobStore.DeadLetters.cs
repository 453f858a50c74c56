using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

/// <content>Requeueing, deleting and trimming dead letters one by one (filtered sets: the admin partial).</content>
public sealed partial class RedisJobStore
{
    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<bool> RequeueDeadLetterAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        ValidId(id);
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        RedisValue[] args = [queueKeys.JobPrefix, _keys.WorkSignalChannelName, queue, id.Value];
        return (int)await EvalAsync(RedisScripts.RequeueDead, queueKeys.StateKeys(), args, () => $"requeue dead letter {id} of queue '{queue}'").ConfigureAwait(false) == 1;
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

}
