using System.Collections.Concurrent;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

public sealed partial class RedisJobStore
{
    /// <summary>ARGV values per job of <c>enqueue.lua</c> before its options.</summary>
    private const int EnqueueArgsPerJob = 6;

    /// <summary>Bits of a job's option flags in <c>enqueue.lua</c>: which options follow (in this order), and unique-until-finished.</summary>
    private const int EnqueueHasTimeout = 1;
    private const int EnqueueHasRunAt = 2;
    private const int EnqueueHasDelay = 4;
    private const int EnqueueHasIdempotencyKey = 8;
    private const int EnqueueUniqueUntilFinished = 16;
    private const int EnqueueHasTraceParent = 32;

    /// <summary>ARGV values before the first job of <c>enqueue.lua</c>.</summary>
    private const int EnqueueHeaderArgs = 4;

    /// <summary>Queues this store has added to the registry, or is adding (removed again when that fails).</summary>
    private readonly ConcurrentDictionary<string, bool> _registeredQueues = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The job is invalid (the message names the job, the field and the value).</exception>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer; the message says whether the job was stored.</exception>
    public async ValueTask<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.Validate(_maxPayloadBytes);
        cancellationToken.ThrowIfCancellationRequested();
        var results = new EnqueueResult[1];
        await EnqueueChunkAsync([job], [0], 0, 1, results).ConfigureAwait(false);
        return results[0];
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A job is invalid (the message names the job, the field and the value); nothing was stored.</exception>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer; the message says whether jobs were stored.</exception>
    public async ValueTask<IReadOnlyList<EnqueueResult>> EnqueueManyAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken = default)
    {
        NewJob.ValidateAll(jobs, _maxPayloadBytes);

        cancellationToken.ThrowIfCancellationRequested();
        var results = new EnqueueResult[jobs.Count];
        if (jobs.Count == 0)
        {
            return results;
        }

        // One script call per queue and chunk, all sent before any is awaited: one round trip per batch.
        var calls = new List<Task>();
        foreach (var group in GroupPositionsByQueue(jobs))
        {
            for (var start = 0; start < group.Count; start += _options.EnqueueBatchSize)
            {
                var count = Math.Min(_options.EnqueueBatchSize, group.Count - start);
                calls.Add(EnqueueChunkAsync(jobs, group, start, count, results));
            }
        }

        await Task.WhenAll(calls).ConfigureAwait(false);
        return results;
    }

    /// <summary>The option flags of <paramref name="job"/> for <c>enqueue.lua</c>; 0 for a job with no options.</summary>
    private static int OptionFlags(NewJob job)
        => (job.Timeout is null ? 0 : EnqueueHasTimeout)
            | (job.RunAt is null ? 0 : EnqueueHasRunAt)
            | (job.Delay is null ? 0 : EnqueueHasDelay)
            | (job.IdempotencyKey is null ? 0 : EnqueueHasIdempotencyKey | (job.UniqueUntilFinished ? EnqueueUniqueUntilFinished : 0))
            | (job.TraceParent is null ? 0 : EnqueueHasTraceParent);

    /// <summary>How many option values follow <paramref name="job"/>'s flags.</summary>
    private static int OptionCount(NewJob job)
        => (job.Timeout is null ? 0 : 1) + (job.RunAt is null ? 0 : 1) + (job.Delay is null ? 0 : 1)
            + (job.IdempotencyKey is null ? 0 : 2) + (job.TraceParent is null ? 0 : 1);

    private static List<List<int>> GroupPositionsByQueue(IReadOnlyList<NewJob> jobs)
    {
        var byQueue = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < jobs.Count; i++)
        {
            if (!byQueue.TryGetValue(jobs[i].Queue, out var positions))
            {
                positions = [];
                byQueue.Add(jobs[i].Queue, positions);
            }

            positions.Add(i);
        }

        return [.. byQueue.Values];
    }

    /// <summary>
    /// Adds <paramref name="queue"/> to the queue registry once per store, without awaiting it: the registry is
    /// another cluster slot, possibly on another node, and an enqueue must never fail or wait because of it. A failed
    /// write is forgotten, so a later enqueue into the queue tries again.
    /// </summary>
    private void RegisterQueueOnce(IDatabase db, string queue)
    {
        if (_registeredQueues.TryAdd(queue, true))
        {
            _ = RegisterQueueAsync(db, queue);
        }
    }

    private async Task RegisterQueueAsync(IDatabase db, string queue)
    {
        try
        {
            await db.SetAddAsync(_keys.Queues, queue).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            _registeredQueues.TryRemove(queue, out _);
        }
    }

    /// <summary>Enqueues <paramref name="count"/> jobs of one queue (at <paramref name="positions"/>[start..]) in one script call.</summary>
    private async Task EnqueueChunkAsync(IReadOnlyList<NewJob> jobs, IReadOnlyList<int> positions, int start, int count, EnqueueResult[] results)
    {
        var first = jobs[positions[start]];
        var queueKeys = _keys.For(first.Queue);
        var length = EnqueueHeaderArgs + (count * EnqueueArgsPerJob);
        for (var i = 0; i < count; i++)
        {
            length += OptionCount(jobs[positions[start + i]]);
        }

        var args = new RedisValue[length];
        args[0] = queueKeys.JobPrefix;
        args[1] = queueKeys.IdempotencyPrefix;
        args[2] = first.Queue;
        args[3] = _keys.WorkSignalChannelName;
        var a = EnqueueHeaderArgs;
        for (var i = 0; i < count; i++)
        {
            var job = jobs[positions[start + i]];
            args[a++] = job.Id.Value;
            args[a++] = job.Name;
            args[a++] = job.Payload;
            args[a++] = (int)job.Priority;
            args[a++] = job.MaxRetries;
            args[a++] = OptionFlags(job);
            if (job.Timeout is { } timeout)
            {
                args[a++] = ToMs(timeout);
            }

            if (job.RunAt is { } runAt)
            {
                args[a++] = runAt.ToUnixTimeMilliseconds();
            }

            if (job.Delay is { } delay)
            {
                args[a++] = ToMs(delay);
            }

            if (job.IdempotencyKey is { } key)
            {
                args[a++] = key;
                args[a++] = ToMs(job.IdempotencyTtl);
            }

            if (job.TraceParent is { } trace)
            {
                args[a++] = trace;
            }
        }

        RedisResult[] reply;
        try
        {
            var db = await DbAsync().ConfigureAwait(false);
            // Sent first, as before, so a ListQueuesAsync after this enqueue sees the queue when the write succeeds.
            RegisterQueueOnce(db, first.Queue);
            var keys = queueKeys.StateKeys();
            try
            {
                reply = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.HashOf(RedisScripts.Enqueue), keys, args).ConfigureAwait(false))!;
            }
            catch (Exception ex) when (RedisScripts.IsNoScript(ex))
            {
                reply = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.Enqueue, keys, args).ConfigureAwait(false))!;
            }
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.EnqueueFailed(first.Queue, count, first.Name, first.Id, ex);
        }

        if (_options.EnqueueReplicas > 0)
        {
            await WaitForReplicasAsync(queueKeys, first, count).ConfigureAwait(false);
        }

        for (var i = 0; i < count; i++)
        {
            // A created job has the id it was sent with: no string made from the reply for it.
            var job = jobs[positions[start + i]];
            var created = (int)reply[(2 * i) + 1] == 1;
            results[positions[start + i]] = new EnqueueResult(created ? job.Id : new JobId(reply[2 * i].ToString()), created);
        }
    }

    /// <summary>
    /// The durability mode (<see cref="RedisJobStoreOptions.EnqueueReplicas"/>): <c>WAIT</c> on the connection to the
    /// queue's primary, which the enqueue script just used, so it covers that script's writes.
    /// </summary>
    private async Task WaitForReplicasAsync(RedisKeys.QueueKeys queueKeys, NewJob first, int count)
    {
        long confirmed;
        try
        {
            var db = await DbAsync().ConfigureAwait(false);
            var primary = await db.IdentifyEndpointAsync(queueKeys.Ready(Priority.Normal)).ConfigureAwait(false)
                ?? throw new RedisConnectionException(ConnectionFailureType.UnableToResolvePhysicalConnection, $"no primary known for queue '{first.Queue}'");
            var reply = await Connection.GetServer(primary)
                .ExecuteAsync("WAIT", _options.EnqueueReplicas, (long)_options.EnqueueReplicaTimeout.TotalMilliseconds)
                .ConfigureAwait(false);
            confirmed = (long)reply;
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.NotReplicated(first.Queue, count, first.Name, first.Id, $"waiting for {_options.EnqueueReplicas} replica(s) failed: {ex.Message}", ex);
        }

        if (confirmed < _options.EnqueueReplicas)
        {
            throw RedisStoreErrors.NotReplicated(
                first.Queue,
                count,
                first.Name,
                first.Id,
                $"{confirmed} of {_options.EnqueueReplicas} replica(s) confirmed it within {_options.EnqueueReplicaTimeout.TotalMilliseconds} ms",
                inner: null);
        }
    }
}
