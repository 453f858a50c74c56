using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

public sealed partial class RedisJobStore
{
    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask PauseAsync(string queue, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        cancellationToken.ThrowIfCancellationRequested();
        await SetPausedAsync(queue, paused: true).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask ResumeAsync(string queue, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        cancellationToken.ThrowIfCancellationRequested();
        await SetPausedAsync(queue, paused: false).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<QueueStats> GetQueueStatsAsync(string queue, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        var counts = (RedisResult[])(await EvalAsync(RedisScripts.Stats, queueKeys.StateKeys(), [queueKeys.StatsPrefix], () => $"read the counters of queue '{queue}'").ConfigureAwait(false))!;
        return new QueueStats
        {
            Queue = queue,
            Pending = (long)counts[0],
            Scheduled = (long)counts[1],
            Retrying = (long)counts[2],
            Active = (long)counts[3],
            Dead = (long)counts[4],
            ProcessedToday = (long)counts[5],
            FailedToday = (long)counts[6],
            Paused = (long)counts[7] == 1,
            DeferredToday = (long)counts[8],
        };
    }

    private Task<RedisResult> SetPausedAsync(string queue, bool paused)
    {
        RedisValue[] args = [paused ? "1" : "0", _keys.WorkSignalChannelName, queue];
        return EvalAsync(RedisScripts.Pause, [_keys.For(queue).Paused], args, () => $"{(paused ? "pause" : "resume")} queue '{queue}'");
    }
}
