using StackExchange.Redis;

namespace TaskQueue.Redis;

/// <summary>
/// Settings of the <see cref="RedisJobStore"/>. Bindable from configuration (section e.g. <c>TaskQueue:Redis</c>)
/// through the configuration binder source generator.
/// </summary>
public sealed class RedisJobStoreOptions
{
    /// <summary>The default <see cref="KeyPrefix"/>.</summary>
    public const string DefaultKeyPrefix = "tq";

    /// <summary>
    /// A StackExchange.Redis connection string: endpoints, <c>password=</c>, <c>user=</c> (ACL), <c>ssl=true</c>,
    /// <c>sslHost=</c>, <c>defaultDatabase=</c>, timeouts. It may also carry <c>keyPrefix=</c>, which sets <see cref="KeyPrefix"/>.
    /// Example: <c>redis.local:6380,user=jobs,password=secret,ssl=true,defaultDatabase=2,keyPrefix=orders</c>.
    /// Through Redis Sentinel list the sentinels and the master's name:
    /// <c>10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379,serviceName=mymaster,password=secret,keyPrefix=orders</c>;
    /// <c>user=</c>/<c>password=</c> then go to the master and replicas only (the sentinels are asked without them),
    /// and the store follows the master through failovers.
    /// </summary>
    public string ConnectionString { get; set; } = "localhost:6379";

    /// <summary>Prefix of every key and channel, so several apps can share one Redis. Default: <c>tq</c>.</summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>
    /// How long succeeded and cancelled jobs (with their result) are kept. Default: 24 hours. Cancelled jobs expire by
    /// a Redis TTL; succeeded jobs are deleted by workers (on completion and lease recovery) once this has passed, so
    /// they stay while no worker runs on the queue.
    /// </summary>
    public TimeSpan ResultRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Dead letters kept per queue at most: as new ones arrive the oldest beyond this are deleted (up to 100 per call;
    /// <see cref="RedisJobStore.TrimDeadLettersAsync"/> trims any amount). Default: 10 000.
    /// </summary>
    public int DeadLetterMaxCount { get; set; } = 10_000;

    /// <summary>Dead letters older than this are deleted as new ones arrive. Default: 30 days.</summary>
    public TimeSpan DeadLetterMaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Whether StackExchange.Redis processes replies on its own dedicated threads (<c>true</c>) or on the .NET thread
    /// pool (<c>false</c>, the default). The thread pool saves a thread hand-off per reply: measured on 2 cores
    /// (docs/benchmarks.md, the <c>--dedicated-io</c> rows) one-at-a-time enqueue went from 5,218 to 8,782 jobs/s, the
    /// worker's CPU per drained job from 7.6 to 5.4 µs and pickup p50 at 1k jobs/s from 0.63 to 0.34 ms; drain
    /// throughput is level. Dedicated threads keep replies flowing when application code in the same process
    /// blocks thread-pool threads (sync over async); the worker's own loops need the thread pool either way.
    /// Applies to stores this library connects; a multiplexer passed in keeps its own settings.
    /// </summary>
    public bool DedicatedIoThreads { get; set; }

    /// <summary>
    /// A PEM or DER file with the certificate of a private certificate authority that signed the Redis server's TLS
    /// certificate: the server certificate is accepted when its chain ends at this CA (and its name matches the
    /// endpoint or <c>sslHost=</c>), even though the machine does not trust the CA. Needs <c>ssl=true</c> in
    /// <see cref="ConnectionString"/>. Default: none, the machine's trusted roots decide.
    /// </summary>
    public string? TrustedCaCertificatePath { get; set; }

    /// <summary>
    /// Adjusts the StackExchange.Redis settings parsed from <see cref="ConnectionString"/> before the store connects,
    /// for what a connection string cannot say: a client certificate (<c>SetUserPemCertificate</c>), a
    /// <c>CertificateValidation</c> callback, a <c>LoggerFactory</c>. The store then sets <c>AbortOnConnectFail=false</c>
    /// and <c>BacklogPolicy.FailFast</c> again, which it depends on. Not bound from configuration. Default: none.
    /// </summary>
    public Action<ConfigurationOptions>? ConfigureConnection { get; set; }

    /// <summary>Jobs sent per script call in a bulk enqueue. Default: 500.</summary>
    public int EnqueueBatchSize { get; set; } = 500;

    /// <summary>
    /// The largest payload accepted, in bytes (<see cref="TaskQueue.Storage.IJobStore.MaxPayloadBytes"/>): a larger
    /// enqueue throws <see cref="ArgumentException"/> and stores nothing; a larger stored job found at fetch is
    /// dead-lettered. Default: <see cref="TaskQueue.Storage.NewJob.DefaultMaxPayloadBytes"/> (1 MiB).
    /// </summary>
    public int MaxPayloadBytes { get; set; } = TaskQueue.Storage.NewJob.DefaultMaxPayloadBytes;

    /// <summary>
    /// The durability mode of enqueue: how many replicas must confirm each enqueue (Redis <c>WAIT</c>, sent to the
    /// queue's primary right after the enqueue script) before the call returns. Redis replicates asynchronously, so by
    /// default (0) an acknowledged enqueue that the primary had not yet sent to a replica is lost when that primary
    /// fails and its replica is promoted (docs/reliability.md measures that window). With 1, an acknowledged enqueue is
    /// on at least one replica, which a failover promotes. The cost is one more round trip per enqueue call (per batch
    /// in a bulk enqueue) that lasts until the replica confirms; docs/benchmarks.md measures it. When fewer replicas
    /// confirm within <see cref="EnqueueReplicaTimeout"/> the enqueue throws <see cref="RedisJobStoreException"/>
    /// saying the job was stored on the primary only (enqueueing the same job again is safe). An ACL user needs
    /// <c>+wait</c>. Default: 0.
    /// </summary>
    public int EnqueueReplicas { get; set; }

    /// <summary>How long an enqueue waits for <see cref="EnqueueReplicas"/> to confirm it. Default: 2 seconds.</summary>
    public TimeSpan EnqueueReplicaTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("RedisJobStoreOptions.ConnectionString must not be empty.");
        }

        if (string.IsNullOrEmpty(KeyPrefix) || KeyPrefix.Length > 64 || KeyPrefix.AsSpan().IndexOfAny("{}") >= 0 || KeyPrefix.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"RedisJobStoreOptions.KeyPrefix '{KeyPrefix}' is not valid: use 1 to 64 characters without braces or white space.");
        }

        if (ResultRetention <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RedisJobStoreOptions.ResultRetention must be positive, but was {ResultRetention}.");
        }

        if (DeadLetterMaxCount < 0)
        {
            throw new ArgumentException($"RedisJobStoreOptions.DeadLetterMaxCount must not be negative, but was {DeadLetterMaxCount}.");
        }

        if (DeadLetterMaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RedisJobStoreOptions.DeadLetterMaxAge must be positive, but was {DeadLetterMaxAge}.");
        }

        if (MaxPayloadBytes <= 0)
        {
            throw new ArgumentException($"RedisJobStoreOptions.MaxPayloadBytes must be positive, but was {MaxPayloadBytes}.");
        }

        if (EnqueueBatchSize is <= 0 or > 10_000)
        {
            throw new ArgumentException($"RedisJobStoreOptions.EnqueueBatchSize must be 1 to 10000, but was {EnqueueBatchSize}.");
        }

        if (EnqueueReplicas is < 0 or > 16)
        {
            throw new ArgumentException($"RedisJobStoreOptions.EnqueueReplicas must be 0 to 16, but was {EnqueueReplicas}.");
        }

        if (EnqueueReplicaTimeout <= TimeSpan.Zero || EnqueueReplicaTimeout > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"RedisJobStoreOptions.EnqueueReplicaTimeout must be above zero and at most 1 minute, but was {EnqueueReplicaTimeout}.");
        }
    }

    /// <summary>
    /// Parses <see cref="ConnectionString"/> into StackExchange.Redis settings and the key prefix (a <c>keyPrefix=</c>
    /// part wins over <see cref="KeyPrefix"/>). Reconnects in the background and fails calls fast while disconnected,
    /// so no call waits silently in a backlog.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is invalid or the connection string does not parse.</exception>
    internal (ConfigurationOptions Configuration, string KeyPrefix) Resolve()
    {
        Validate();
        var prefix = KeyPrefix;
        var parts = new List<string>();
        foreach (var part in ConnectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("keyPrefix=", StringComparison.OrdinalIgnoreCase))
            {
                prefix = part["keyPrefix=".Length..];
                continue;
            }

            parts.Add(part);
        }

        new RedisJobStoreOptions { ConnectionString = ConnectionString, KeyPrefix = prefix }.Validate();
        ConfigurationOptions configuration;
        try
        {
            configuration = ConfigurationOptions.Parse(string.Join(',', parts));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"RedisJobStoreOptions.ConnectionString is not a valid Redis connection string: {ex.Message}", ex);
        }

        ValidateSentinel(configuration, parts);
        if (!DedicatedIoThreads)
        {
            configuration.SocketManager = SocketManager.ThreadPool;
        }

        if (!string.IsNullOrWhiteSpace(TrustedCaCertificatePath))
        {
            if (!configuration.Ssl)
            {
                throw new ArgumentException("RedisJobStoreOptions.TrustedCaCertificatePath is set but the connection string does not say ssl=true.");
            }

            try
            {
                configuration.TrustIssuer(TrustedCaCertificatePath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new ArgumentException($"RedisJobStoreOptions.TrustedCaCertificatePath '{TrustedCaCertificatePath}' is not a readable certificate file: {ex.Message}", ex);
            }
        }

        ConfigureConnection?.Invoke(configuration);
        if (EnqueueReplicas > 0 && EnqueueReplicaTimeout.TotalMilliseconds >= configuration.AsyncTimeout)
        {
            // StackExchange.Redis would time the WAIT out itself, as a failure of unknown outcome.
            throw new ArgumentException(
                $"RedisJobStoreOptions.EnqueueReplicaTimeout ({EnqueueReplicaTimeout.TotalMilliseconds} ms) must be shorter than the connection's asyncTimeout ({configuration.AsyncTimeout} ms).");
        }

        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;

        return (configuration, prefix);
    }

    /// <summary>
    /// Through Sentinel (<c>serviceName=</c>) the endpoints are the sentinels and the service name is the master's
    /// name in their <c>sentinel monitor</c> line: both must be there, or the store would wait forever for a master.
    /// </summary>
    private static void ValidateSentinel(ConfigurationOptions configuration, List<string> parts)
    {
        var named = parts.Any(p => p.StartsWith("serviceName=", StringComparison.OrdinalIgnoreCase));
        if (named && string.IsNullOrWhiteSpace(configuration.ServiceName))
        {
            throw new ArgumentException("RedisJobStoreOptions.ConnectionString has an empty serviceName=: give the master's name from the sentinels' 'sentinel monitor' line, e.g. serviceName=mymaster.");
        }

        if (named && configuration.EndPoints.Count == 0)
        {
            throw new ArgumentException($"RedisJobStoreOptions.ConnectionString names the Sentinel service '{configuration.ServiceName}' but no sentinel: list the sentinels' endpoints, e.g. 10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379,serviceName={configuration.ServiceName}.");
        }
    }
}
