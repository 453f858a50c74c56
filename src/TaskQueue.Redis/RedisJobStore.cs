using System.Collections.Concurrent;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

/// <summary>
/// The production <see cref="IJobStore"/> on Redis (StackExchange.Redis). Every state change is one Lua script
/// run by SHA; all keys of a queue share one hash tag, so it also runs on Redis Cluster.
/// </summary>
/// <remarks>
/// Calls never block the multiplexer. While Redis is unreachable, including before the first connection when the
/// store was made by <see cref="Connect(RedisJobStoreOptions)"/>, calls fail fast with a
/// <see cref="RedisJobStoreException"/>; the connection is (re-)established in the background.
/// </remarks>
public sealed partial class RedisJobStore : IJobStore, IJobStoreStartup, IAsyncDisposable, IDisposable
{
    private readonly bool _ownsConnection;
    private readonly RedisKeys _keys;
    private readonly RedisJobStoreOptions _options;
    private readonly long _resultRetentionMs;
    private readonly int _maxPayloadBytes;

    /// <summary>One waiter signal per queue, completed (and replaced) when the queue's work signal arrives.</summary>
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _workSignals = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscribeLock = new(1, 1);
    private volatile bool _workSubscribed;

    /// <summary>Uses an existing connection (not disposed with the store).</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public RedisJobStore(IConnectionMultiplexer connection, RedisJobStoreOptions? options = null)
        : this(options ?? new RedisJobStoreOptions(), ownsConnection: false, keyPrefix: null, endpoints: null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Attach(connection);
    }

    /// <summary>A store without a connection yet: <see cref="Attach"/> gives it one.</summary>
    private RedisJobStore(RedisJobStoreOptions options, bool ownsConnection, string? keyPrefix, string? endpoints)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _ownsConnection = ownsConnection;
        _options = options;
        _keys = new RedisKeys(keyPrefix ?? options.KeyPrefix);
        _resultRetentionMs = ToMs(options.ResultRetention);
        _maxPayloadBytes = options.MaxPayloadBytes;
        _endpoints = endpoints ?? "Redis";
    }

    /// <inheritdoc/>
    public int MaxPayloadBytes => _maxPayloadBytes;

    /// <summary>The prefix of every key and channel this store uses.</summary>
    public string KeyPrefix => _keys.Prefix;

    /// <summary>Runs a script and turns StackExchange.Redis failures into a <see cref="RedisJobStoreException"/> naming <paramref name="operation"/>.</summary>
    private async Task<RedisResult> EvalAsync(string script, RedisKey[] keys, RedisValue[] args, Func<string> operation)
    {
        try
        {
            var db = await DbAsync().ConfigureAwait(false);
            try
            {
                return await db.ScriptEvaluateAsync(RedisScripts.HashOf(script), keys, args).ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisScripts.IsNoScript(ex))
            {
                return await db.ScriptEvaluateAsync(script, keys, args).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed(operation(), ex);
        }
    }

    private static string ValidQueue(string queue) => JobNames.ValidateQueueName(queue, nameof(queue));

    private static void ValidId(JobId id)
    {
        if (id.IsEmpty)
        {
            throw new ArgumentException("The job id is empty (default(JobId)).", nameof(id));
        }
    }

    private static long ToMs(TimeSpan value) => (long)Math.Ceiling(value.TotalMilliseconds);
}
