using System.Collections.Concurrent;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

/// <summary>
/// The production <see cref="IJobStore"/> on Redis (StackExchange.Redis). Every state change is one Lua script
/// run by SHA; all keys of a queue share one hash tag, so it also runs on Redis Cluster.
/// </summary>
/// <remarks>
/// Calls never block the multiplexer. While Redis is unreachable calls fail fast with a
/// <see cref="RedisJobStoreException"/>; the connection is re-established in the background.
/// </remarks>
public sealed partial class RedisJobStore : IJobStore, IAsyncDisposable, IDisposable
{
    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly IDatabase _db;
    private readonly RedisKeys _keys;
    private readonly RedisJobStoreOptions _options;
    private readonly long _resultRetentionMs;

    /// <summary>Names this instance as the holder of recovery locks.</summary>
    private readonly string _instanceId = Guid.NewGuid().ToString("N");

    /// <summary>One waiter signal per queue, completed (and replaced) when the queue's work signal arrives.</summary>
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _workSignals = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscribeLock = new(1, 1);
    private volatile bool _workSubscribed;

    /// <summary>Uses an existing connection (not disposed with the store).</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public RedisJobStore(IConnectionMultiplexer connection, RedisJobStoreOptions? options = null)
        : this(connection, options ?? new RedisJobStoreOptions(), ownsConnection: false, keyPrefix: null)
    {
    }

    private RedisJobStore(IConnectionMultiplexer connection, RedisJobStoreOptions options, bool ownsConnection, string? keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _connection = connection;
        _ownsConnection = ownsConnection;
        _options = options;
        _db = connection.GetDatabase();
        _keys = new RedisKeys(keyPrefix ?? options.KeyPrefix);
        _resultRetentionMs = ToMs(options.ResultRetention);
        _connection.ConnectionRestored += OnConnectionRestored;
        ScriptsLoaded = LoadScriptsAsync();
    }

    /// <summary>Completes when the scripts were loaded into every connected server (failures are ignored: EVAL still works).</summary>
    internal Task ScriptsLoaded { get; private set; }

    /// <summary>The prefix of every key and channel this store uses.</summary>
    public string KeyPrefix => _keys.Prefix;

    /// <summary>
    /// Connects to Redis from <see cref="RedisJobStoreOptions.ConnectionString"/>. Does not fail when Redis is down:
    /// the connection is retried in the background and calls fail fast until it is up.
    /// </summary>
    /// <exception cref="ArgumentException">An option or the connection string is invalid.</exception>
    public static RedisJobStore Connect(RedisJobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (configuration, prefix) = options.Resolve();
        return new RedisJobStore(ConnectionMultiplexer.Connect(configuration), options, ownsConnection: true, prefix);
    }

    /// <summary>Connects to Redis with a connection string (see <see cref="RedisJobStoreOptions.ConnectionString"/>).</summary>
    /// <exception cref="ArgumentException">The connection string is invalid.</exception>
    public static RedisJobStore Connect(string connectionString)
        => Connect(new RedisJobStoreOptions { ConnectionString = connectionString });

    /// <summary>Connects to Redis asynchronously; like <see cref="Connect(RedisJobStoreOptions)"/>.</summary>
    /// <exception cref="ArgumentException">An option or the connection string is invalid.</exception>
    public static async Task<RedisJobStore> ConnectAsync(RedisJobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (configuration, prefix) = options.Resolve();
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        return new RedisJobStore(connection, options, ownsConnection: true, prefix);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _connection.ConnectionRestored -= OnConnectionRestored;
        _subscribeLock.Dispose();
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _connection.ConnectionRestored -= OnConnectionRestored;
        _subscribeLock.Dispose();
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    /// <summary>
    /// SCRIPT LOADs every script into every connected server, so StackExchange.Redis sends EVALSHA from then on
    /// (it retries with EVAL on NOSCRIPT). Run again when a connection comes back: the server may have restarted.
    /// </summary>
    private async Task LoadScriptsAsync()
    {
        try
        {
            foreach (var endpoint in _connection.GetEndPoints())
            {
                var server = _connection.GetServer(endpoint);
                if (!server.IsConnected)
                {
                    continue;
                }

                foreach (var script in RedisScripts.All)
                {
                    await server.ScriptLoadAsync(script).ConfigureAwait(false);
                }
            }
        }
        catch (RedisException)
        {
            // Not loaded: calls fall back to EVAL with the script text, and the next reconnect tries again.
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive)
        {
            ScriptsLoaded = LoadScriptsAsync();
        }
    }

    /// <summary>Runs a script and turns StackExchange.Redis failures into a <see cref="RedisJobStoreException"/> naming <paramref name="operation"/>.</summary>
    private async Task<RedisResult> EvalAsync(string script, RedisKey[] keys, RedisValue[] args, Func<string> operation)
    {
        try
        {
            return await _db.ScriptEvaluateAsync(script, keys, args).ConfigureAwait(false);
        }
        catch (RedisException ex)
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
