using System.Net;
using StackExchange.Redis;

namespace TaskQueue.Redis;

public sealed partial class RedisJobStore
{
    /// <summary>How often <see cref="WaitUntilAvailableAsync"/> looks again without a connection event (a safety net).</summary>
    private static readonly TimeSpan AvailabilityRecheck = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();

    /// <summary>The endpoints, for messages (never the password).</summary>
    private readonly string _endpoints;

    /// <summary>Set when the connection string names a sentinel service (<c>serviceName=</c>).</summary>
    private SentinelMasterConnector? _sentinel;

    /// <summary>Null until the background connect has made the multiplexer.</summary>
    private volatile IConnectionMultiplexer? _connection;
    private volatile IDatabase? _db;

    /// <summary>Set when making the multiplexer threw (not when Redis is merely down: that is retried in the background).</summary>
    private volatile Exception? _connectFailure;
    private volatile bool _disposed;

    /// <summary>Completed (and replaced) whenever the connection state may have changed, to wake <see cref="WaitUntilAvailableAsync"/>.</summary>
    private TaskCompletionSource _connectionChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the scripts were loaded into every connected server (failures are ignored: EVAL still works).</summary>
    internal Task ScriptsLoaded { get; private set; } = Task.CompletedTask;

    /// <summary>True while Redis is connected.</summary>
    public bool IsAvailable => _connection is { IsConnected: true };

    /// <summary>
    /// Completes when the first background connect attempt ended or <see cref="FirstConnectWait"/> passed since the store
    /// was made, whichever is first (at once for a store made over an existing connection).
    /// </summary>
    private Task _firstConnectWait = Task.CompletedTask;

    /// <summary>
    /// How long a call made while the store's first connect attempt still runs waits for it. Connecting to a Redis that
    /// is up takes milliseconds, so an app that enqueues right after start-up just works; when Redis is down that attempt
    /// lasts the connect timeout (5 s by default), which a call must not: it fails fast after this wait instead.
    /// </summary>
    private static readonly TimeSpan FirstConnectWait = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The database. A call made during the store's first connect attempt waits for it, until <see cref="FirstConnectWait"/>
    /// after the store was made at most; without a connection after that, it fails fast with the same error as on a lost connection.
    /// </summary>
    private ValueTask<IDatabase> DbAsync() => _db is { } db ? new(db) : AfterFirstConnectAttemptAsync();

    private async ValueTask<IDatabase> AfterFirstConnectAttemptAsync()
    {
        await _firstConnectWait.ConfigureAwait(false);
        return _db ?? throw RedisStoreErrors.NotConnectedYet(_endpoints, _connectFailure);
    }

    /// <summary>The multiplexer; before the first connection it throws the same connection error as a lost connection.</summary>
    private IConnectionMultiplexer Connection => _connection ?? throw RedisStoreErrors.NotConnectedYet(_endpoints, _connectFailure);

    /// <summary>
    /// Makes a store for <see cref="RedisJobStoreOptions.ConnectionString"/> and returns at once: it connects in the
    /// background and never blocks, also when Redis is down (it keeps retrying). Calls made during the first connect
    /// attempt wait for it, at most half a second after the store was made; after that, while Redis is not connected, calls fail fast with a
    /// <see cref="RedisJobStoreException"/> (an enqueue's says nothing was stored). <see cref="WaitUntilAvailableAsync"/> waits for the connection; the worker does that
    /// before it starts. <c>UseRedis(...)</c> makes its store this way.
    /// </summary>
    /// <exception cref="ArgumentException">An option or the connection string is invalid.</exception>
    public static RedisJobStore Connect(RedisJobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (configuration, prefix) = options.Resolve();
        var store = new RedisJobStore(options, ownsConnection: true, prefix, Describe(configuration));
        if (!string.IsNullOrEmpty(configuration.ServiceName))
        {
            store._sentinel = new SentinelMasterConnector();
        }

        // Task.Run: StackExchange.Redis may do its first connect attempt synchronously before it yields.
        var attempt = Task.Run(() => store.ConnectInBackgroundAsync(configuration));
        store._firstConnectWait = Task.WhenAny(attempt, Task.Delay(FirstConnectWait));
        return store;
    }

    /// <summary>Like <see cref="Connect(RedisJobStoreOptions)"/> with a connection string (see <see cref="RedisJobStoreOptions.ConnectionString"/>).</summary>
    /// <exception cref="ArgumentException">The connection string is invalid.</exception>
    public static RedisJobStore Connect(string connectionString)
        => Connect(new RedisJobStoreOptions { ConnectionString = connectionString });

    /// <summary>
    /// Connects to Redis and completes once connected. While Redis is down it keeps waiting (retrying in the
    /// background) until <paramref name="cancellationToken"/> fires; pass one to bound the wait. To start without
    /// waiting use <see cref="Connect(RedisJobStoreOptions)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An option or the connection string is invalid.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before Redis answered (the store is disposed).</exception>
    /// <exception cref="RedisJobStoreException">The connection could not be set up at all (not merely Redis being down).</exception>
    public static async Task<RedisJobStore> ConnectAsync(RedisJobStoreOptions options, CancellationToken cancellationToken = default)
    {
        var store = Connect(options);
        try
        {
            await store.WaitUntilAvailableAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Like <see cref="ConnectAsync(RedisJobStoreOptions, CancellationToken)"/> with a connection string (see <see cref="RedisJobStoreOptions.ConnectionString"/>).</summary>
    /// <exception cref="ArgumentException">The connection string is invalid.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before Redis answered (the store is disposed).</exception>
    /// <exception cref="RedisJobStoreException">The connection could not be set up at all (not merely Redis being down).</exception>
    public static Task<RedisJobStore> ConnectAsync(string connectionString, CancellationToken cancellationToken = default)
        => ConnectAsync(new RedisJobStoreOptions { ConnectionString = connectionString }, cancellationToken);

    /// <summary>Completes when Redis is connected: at once when it is. Redis being down is waited out, not thrown.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="RedisJobStoreException">The connection could not be set up at all (not merely Redis being down).</exception>
    public async ValueTask WaitUntilAvailableAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            // Taken before looking, so a change right after the look still wakes this wait.
            var changed = Volatile.Read(ref _connectionChanged).Task;
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connectFailure is { } failure)
            {
                throw RedisStoreErrors.CallFailed("connect", RedisStoreErrors.NotConnectedYet(_endpoints, failure));
            }

            if (IsAvailable)
            {
                return;
            }

            try
            {
                await changed.WaitAsync(AvailabilityRecheck, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Look again.
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        var connection = Detach();
        _subscribeLock.Dispose();
        if (connection is not null && _ownsConnection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _sentinel?.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        var connection = Detach();
        _subscribeLock.Dispose();
        if (connection is not null && _ownsConnection)
        {
            connection.Dispose();
        }

        _sentinel?.Dispose();
    }

    /// <summary>
    /// Makes the multiplexer. With <c>AbortOnConnectFail=false</c> it returns even when Redis is down (after its first
    /// attempt, which may take the connect timeout) and keeps reconnecting by itself; through Sentinel, the connector
    /// retries until the sentinels name a reachable master.
    /// </summary>
    private async Task ConnectInBackgroundAsync(ConfigurationOptions configuration)
    {
        try
        {
            Attach(_sentinel is { } sentinel
                ? await sentinel.ConnectAsync(configuration).ConfigureAwait(false)
                : await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (_disposed)
        {
            // Disposed while the sentinels named no master yet.
        }
        catch (Exception ex)
        {
            _connectFailure = ex;
            ConnectionChanged();
        }
    }

    /// <summary>Starts using <paramref name="connection"/>; disposes it instead when the store was disposed meanwhile.</summary>
    private void Attach(IConnectionMultiplexer connection)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                connection.ConnectionRestored += OnConnectionRestored;
                connection.ConnectionFailed += OnConnectionFailed;
                connection.ConfigurationChanged += OnConfigurationChanged;
                _db = connection.GetDatabase();
                _connection = connection;
            }
        }

        if (_connection != connection)
        {
            if (_ownsConnection)
            {
                connection.Dispose();
            }

            return;
        }

        if (connection.IsConnected)
        {
            ScriptsLoaded = LoadScriptsAsync(connection);
        }

        ConnectionChanged();
    }

    /// <summary>Marks the store disposed and returns its connection, if any, for the caller to dispose.</summary>
    private IConnectionMultiplexer? Detach()
    {
        IConnectionMultiplexer? connection;
        lock (_gate)
        {
            _disposed = true;
            connection = _connection;
            if (connection is not null)
            {
                connection.ConnectionRestored -= OnConnectionRestored;
                connection.ConnectionFailed -= OnConnectionFailed;
                connection.ConfigurationChanged -= OnConfigurationChanged;
            }
        }

        ConnectionChanged();
        return connection;
    }

    /// <summary>
    /// SCRIPT LOADs every script into every connected server, so StackExchange.Redis sends EVALSHA from then on
    /// (it retries with EVAL on NOSCRIPT). Run again when a connection comes back: the server may have restarted.
    /// </summary>
    private static async Task LoadScriptsAsync(IConnectionMultiplexer connection)
    {
        // Every server (replicas too, so a promoted one has them), each on its own: one that fails or is gone
        // (a failover moves the endpoints) must not keep the scripts from the others.
        foreach (var endpoint in connection.GetEndPoints())
        {
            try
            {
                var server = connection.GetServer(endpoint);
                if (!server.IsConnected)
                {
                    continue;
                }

                foreach (var script in RedisScripts.All)
                {
                    await server.ScriptLoadAsync(script).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex) || ex is ArgumentException or ObjectDisposedException)
            {
                // Not loaded there: calls fall back to EVAL with the script text, and the next reconnect tries again.
            }
        }
    }

    /// <summary>Also raised for the first connection when Redis was down while the multiplexer was made.</summary>
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive && _connection is { } connection)
        {
            ScriptsLoaded = LoadScriptsAsync(connection);
        }

        if (e.ConnectionType == ConnectionType.Subscription)
        {
            _ = WakeWaitersAfterResubscribeAsync();
        }

        ConnectionChanged();
    }

    /// <summary>
    /// The servers' roles changed, e.g. Sentinel promoted a replica: StackExchange.Redis moves commands and the
    /// subscription to the new master without a reconnect event. Load the scripts there (a replica promoted after it
    /// was seen may not have them) and wake the waiters once the subscription answers, as after a reconnect.
    /// </summary>
    private void OnConfigurationChanged(object? sender, EndPointEventArgs e)
    {
        if (_connection is { IsConnected: true } connection)
        {
            ScriptsLoaded = LoadScriptsAsync(connection);
        }

        _ = WakeWaitersAfterResubscribeAsync();
        ConnectionChanged();
    }

    /// <summary>A lost subscription loses the signals published until it is back: waiters look again now and on its return.</summary>
    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            WakeAllWaiters();
        }
    }

    private void ConnectionChanged()
        => Interlocked.Exchange(ref _connectionChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>The endpoints, and for Sentinel the service: <c>sentinels 10.0.0.1:26379,... (service mymaster)</c>.</summary>
    private static string Describe(ConfigurationOptions configuration)
    {
        var endpoints = string.Join(',', configuration.EndPoints.Select(static e => e is DnsEndPoint dns ? $"{dns.Host}:{dns.Port}" : e.ToString()));
        return string.IsNullOrEmpty(configuration.ServiceName) ? endpoints : $"sentinels {endpoints} (service {configuration.ServiceName})";
    }
}
