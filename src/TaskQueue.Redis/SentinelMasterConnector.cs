using StackExchange.Redis;

namespace TaskQueue.Redis;

/// <summary>
/// Connects through Redis Sentinel (a connection string with <c>serviceName=</c>) to the master the sentinels name,
/// and keeps the sentinel connection that StackExchange.Redis uses to follow failovers (<c>+switch-master</c>).
/// </summary>
/// <remarks>
/// StackExchange.Redis's own sentinel connect (<c>ConnectionMultiplexer.ConnectAsync</c> with a service name) throws
/// when no sentinel names a master yet, where a plain connection with <c>AbortOnConnectFail=false</c> keeps retrying,
/// and sends the data nodes' <c>user=</c>/<c>password=</c> to the sentinels too, which refuse an AUTH they have no
/// password for. So this asks the sentinels without credentials and retries until a master is named.
/// </remarks>
internal sealed class SentinelMasterConnector : IDisposable
{
    /// <summary>How long to wait before asking the sentinels again when none named a reachable master.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();

    /// <summary>Never disposed: a connect may still be reading its token when the store is disposed.</summary>
    private readonly CancellationTokenSource _stop = new();
    private ConnectionMultiplexer? _sentinels;
    private bool _disposed;

    /// <summary>
    /// The sentinels' settings: the same endpoints, timeouts and TLS, without the data nodes' credentials and without
    /// a default database (sentinels have none).
    /// </summary>
    public static ConfigurationOptions ForSentinels(ConfigurationOptions data)
    {
        var sentinels = data.Clone();
        sentinels.User = null;
        sentinels.Password = null;
        sentinels.DefaultDatabase = null;
        sentinels.AbortOnConnectFail = false;
        return sentinels;
    }

    /// <summary>
    /// Connects to the sentinels, then to the master they name for <see cref="ConfigurationOptions.ServiceName"/> (and
    /// its replicas), asking again every second while none is named or reachable, until <see cref="Dispose"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">Disposed before a master was reached.</exception>
    public async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions data)
    {
        var sentinels = await ConnectionMultiplexer.SentinelConnectAsync(ForSentinels(data)).ConfigureAwait(false);
        lock (_gate)
        {
            if (_disposed)
            {
                sentinels.Dispose();
                throw new OperationCanceledException("The store was disposed while connecting to the sentinels.");
            }

            _sentinels = sentinels;
        }

        while (true)
        {
            _stop.Token.ThrowIfCancellationRequested();
            try
            {
                // Synchronous in StackExchange.Redis (it asks the sentinels, connects and checks the role). A clone each
                // time: it replaces the endpoints with the master's and replicas'.
                return await Task.Run(() => sentinels.GetSentinelMasterConnection(data.Clone()), _stop.Token).ConfigureAwait(false);
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(RetryDelay, _stop.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops a connect still retrying and closes the sentinel connection (after the master's, which it serves).</summary>
    public void Dispose()
    {
        ConnectionMultiplexer? sentinels;
        lock (_gate)
        {
            _disposed = true;
            sentinels = _sentinels;
        }

        _stop.Cancel();
        sentinels?.Dispose();
    }
}
