using System.Globalization;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

public sealed partial class RedisJobStore
{
    /// <summary>Values per worker returned by <c>list_workers.lua</c>.</summary>
    private const int WorkerValues = 8;

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask HeartbeatWorkerAsync(WorkerInfo worker, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentException.ThrowIfNullOrEmpty(worker.Id);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        RedisValue[] args =
        [
            worker.Id,
            ToMs(ttl),
            worker.Host ?? string.Empty,
            worker.ProcessId,
            string.Join(',', worker.Queues ?? []),
            worker.Concurrency,
            worker.StartedAt.ToUnixTimeMilliseconds(),
            worker.RunningJobs,
        ];
        await EvalAsync(RedisScripts.Heartbeat, [_keys.Workers, _keys.WorkerPrefix + worker.Id], args, () => $"record the heartbeat of worker '{worker.Id}'").ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask RemoveWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        cancellationToken.ThrowIfCancellationRequested();
        await EvalAsync(RedisScripts.RemoveWorker, [_keys.Workers, _keys.WorkerPrefix + workerId], [workerId], () => $"remove worker '{workerId}'").ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var reply = (RedisResult[])(await EvalAsync(RedisScripts.ListWorkers, [_keys.Workers], [_keys.WorkerPrefix], () => "list workers").ConfigureAwait(false))!;
        var workers = new List<WorkerInfo>(reply.Length / WorkerValues);
        for (var r = 0; r + WorkerValues <= reply.Length; r += WorkerValues)
        {
            var queues = reply[r + 3].ToString();
            workers.Add(new WorkerInfo
            {
                Id = reply[r].ToString(),
                Host = reply[r + 1].ToString(),
                ProcessId = int.Parse(reply[r + 2].ToString(), CultureInfo.InvariantCulture),
                Queues = queues.Length == 0 ? [] : queues.Split(','),
                Concurrency = int.Parse(reply[r + 4].ToString(), CultureInfo.InvariantCulture),
                StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(reply[r + 5].ToString(), CultureInfo.InvariantCulture)),
                LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(reply[r + 6].ToString(), CultureInfo.InvariantCulture)),

                // Missing on entries written by a version that did not record it.
                RunningJobs = int.TryParse(reply[r + 7].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var running) ? running : 0,
            });
        }

        return workers;
    }
}
