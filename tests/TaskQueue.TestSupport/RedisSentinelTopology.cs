using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace TaskQueue.TestSupport;

/// <summary>
/// A Redis Sentinel deployment on loopback, of one test class: a master <c>redis-server</c>, its replicas
/// (<c>--replicaof</c>) and three sentinels (quorum 2, master down after 1 s), each a <see cref="RedisServerProcess"/>
/// on a free port in a temp dir of its own. A test kills the current master by its PID (<see cref="KillMasterAsync"/>),
/// waits for the sentinels to promote a replica (<see cref="WaitForFailoverAsync"/>) and may restart the old master,
/// which the sentinels turn into a replica of the new one (<see cref="RestartAsync"/>). Dispose stops every process it
/// started, by PID, and deletes their directories.
/// </summary>
public sealed class RedisSentinelTopology : IAsyncDisposable
{
    /// <summary>The sentinels' name for the master: <c>serviceName=</c> in the connection string.</summary>
    public const string ServiceName = "mymaster";

    /// <summary>
    /// The sentinels' settings: a master unanswered for 1 s is subjectively down, 2 of 3 agreeing make it objectively
    /// down and start a failover; a failover that stalls is retried after twice the failover timeout.
    /// </summary>
    private const int Quorum = 2;
    private const int DownAfterMs = 1000;
    private const int FailoverTimeoutMs = 4000;

    /// <summary>How long <see cref="StartAsync"/> waits for the sentinels to see every node and each other.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    private readonly List<RedisServerProcess> _dataNodes;
    private readonly List<RedisServerProcess> _sentinels;
    private readonly string? _password;
    private readonly ConnectionMultiplexer _sentinelAdmin;

    private RedisSentinelTopology(List<RedisServerProcess> dataNodes, List<RedisServerProcess> sentinels, string? password, ConnectionMultiplexer sentinelAdmin)
    {
        _dataNodes = dataNodes;
        _sentinels = sentinels;
        _password = password;
        _sentinelAdmin = sentinelAdmin;
    }

    /// <summary>The master as started, then its replicas.</summary>
    public IReadOnlyList<RedisServerProcess> DataNodes => _dataNodes;

    public IReadOnlyList<RedisServerProcess> Sentinels => _sentinels;

    /// <summary>
    /// The sentinels and the service name, plus <c>password=</c> when the data nodes have one:
    /// <c>127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3,serviceName=mymaster</c>. A test may add <c>keyPrefix=</c>.
    /// </summary>
    public string ConnectionString
        => string.Join(',', _sentinels.Select(s => s.EndPoint)) + $",serviceName={ServiceName}" + (_password is null ? string.Empty : $",password={_password}");

    /// <summary>
    /// Starts the master, <paramref name="replicas"/> replicas and three sentinels, and returns once every sentinel
    /// sees the master, every replica (synced) and the two other sentinels. With <paramref name="password"/> the data
    /// nodes require it (and replicate with it); the sentinels do not.
    /// </summary>
    public static async Task<RedisSentinelTopology> StartAsync(int replicas = 1, string? password = null)
    {
        var dataNodes = new List<RedisServerProcess>();
        var sentinels = new List<RedisServerProcess>();
        try
        {
            // No start-up delay for full syncs (the default waits 5 s for more replicas), so a restarted node catches up at once.
            string[] common = ["--repl-diskless-sync-delay", "0", .. password is null ? Array.Empty<string>() : ["--requirepass", password, "--masterauth", password]];
            var master = await RedisServerProcess.StartAsync(common);
            dataNodes.Add(master);
            for (var i = 0; i < replicas; i++)
            {
                dataNodes.Add(await RedisServerProcess.StartAsync([.. common, "--replicaof", "127.0.0.1", Port(master)]));
            }

            string[] config =
            [
                $"sentinel monitor {ServiceName} 127.0.0.1 {Port(master)} {Quorum}",
                $"sentinel down-after-milliseconds {ServiceName} {DownAfterMs}",
                $"sentinel failover-timeout {ServiceName} {FailoverTimeoutMs}",
                $"sentinel parallel-syncs {ServiceName} {replicas}",
                .. password is null ? Array.Empty<string>() : [$"sentinel auth-pass {ServiceName} {password}"],
            ];
            for (var i = 0; i < 3; i++)
            {
                sentinels.Add(await RedisServerProcess.StartSentinelAsync(config));
            }

            var sentinelOptions = new ConfigurationOptions { AbortOnConnectFail = false };
            foreach (var sentinel in sentinels)
            {
                sentinelOptions.EndPoints.Add(sentinel.EndPoint);
            }

            var admin = await ConnectionMultiplexer.SentinelConnectAsync(sentinelOptions);
            var topology = new RedisSentinelTopology(dataNodes, sentinels, password, admin);
            await topology.WaitUntilSettledAsync(master, dataNodes.Skip(1).ToList(), SettleTimeout);
            return topology;
        }
        catch
        {
            foreach (var process in sentinels.Concat(dataNodes))
            {
                await process.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The data node every sentinel names as the master (throws when they disagree or name none of ours).</summary>
    public async Task<RedisServerProcess> MasterAsync()
    {
        var named = new HashSet<int>();
        foreach (var sentinel in _sentinels)
        {
            named.Add(await MasterPortAsync(sentinel));
        }

        return named.Count == 1 && _dataNodes.FirstOrDefault(n => n.Port == named.First()) is { } master
            ? master
            : throw new InvalidOperationException($"The sentinels name masters on ports {string.Join(", ", named)}.");
    }

    /// <summary>SIGKILLs the current master by its PID (no shutdown, no final replication) and returns it.</summary>
    public async Task<RedisServerProcess> KillMasterAsync()
    {
        var master = await MasterAsync();
        master.Kill();
        return master;
    }

    /// <summary>
    /// Waits until every sentinel names a master other than <paramref name="old"/> and that node says it is a master
    /// (the failover has completed); returns it.
    /// </summary>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/>.</exception>
    public async Task<RedisServerProcess> WaitForFailoverAsync(RedisServerProcess old, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var master = await MasterAsync();
                if (master != old && await RoleAsync(master) == "master")
                {
                    return master;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or RedisException or RedisTimeoutException)
            {
                // The sentinels disagree while the failover runs.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No failover from port {old.Port} within {timeout.TotalSeconds} s.\n{SentinelLogs()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Starts a killed data node again on its port and waits until it is a synced replica of the current master, as
    /// the sentinels see it. By default it starts as that master's replica (<c>--replicaof</c>), as an operator should
    /// restart a failed master. With <paramref name="asReplica"/> false it starts with its old arguments: a killed
    /// master then comes back as an empty master, and takes writes sent to it until the sentinels convert it (about
    /// 10 s later).
    /// </summary>
    public async Task RestartAsync(RedisServerProcess node, TimeSpan timeout, bool asReplica = true)
    {
        var master = await MasterAsync();
        await node.RestartAsync(asReplica ? ["--replicaof", "127.0.0.1", Port(master)] : null);
        await WaitUntilSettledAsync(master, _dataNodes.Where(n => n != master).ToList(), timeout);
    }

    /// <summary>What the sentinels logged (failover steps: <c>+sdown</c>, <c>+odown</c>, <c>+switch-master</c>...), for test output.</summary>
    public string SentinelLogs()
        => string.Join('\n', _sentinels.Select(s => $"--- sentinel {s.EndPoint} ---\n{s.Output}"));

    /// <summary>Stops the sentinels first (so none starts a failover while the data nodes go), then the data nodes; by PID.</summary>
    public async ValueTask DisposeAsync()
    {
        await _sentinelAdmin.DisposeAsync();
        foreach (var process in _sentinels.Concat(_dataNodes))
        {
            await process.DisposeAsync();
        }
    }

    private async Task WaitUntilSettledAsync(RedisServerProcess master, IReadOnlyList<RedisServerProcess> replicas, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var why = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                why = await NotSettledBecauseAsync(master, replicas);
                if (why.Length == 0)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                why = ex.Message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The sentinels did not settle within {timeout.TotalSeconds} s: {why}\n{SentinelLogs()}");
    }

    /// <summary>Empty when every sentinel sees the master, the replicas linked to it and the other sentinels; else why not.</summary>
    private async Task<string> NotSettledBecauseAsync(RedisServerProcess master, IReadOnlyList<RedisServerProcess> replicas)
    {
        foreach (var sentinel in _sentinels)
        {
            var server = _sentinelAdmin.GetServer(sentinel.EndPoint);
            var fields = (await server.SentinelMasterAsync(ServiceName)).ToDictionary(f => f.Key, f => f.Value);
            if (fields["port"] != Port(master) || fields["flags"] != "master")
            {
                return $"sentinel {sentinel.EndPoint} sees master port {fields["port"]} flags {fields["flags"]}";
            }

            if (fields["num-other-sentinels"] != "2")
            {
                return $"sentinel {sentinel.EndPoint} knows {fields["num-other-sentinels"]} other sentinels";
            }

            var seen = (await server.SentinelReplicasAsync(ServiceName))
                .Select(r => r.ToDictionary(f => f.Key, f => f.Value))
                .Where(r => r["flags"] == "slave" && r["master-link-status"] == "ok" && r["master-port"] == Port(master))
                .Select(r => r["port"])
                .ToHashSet();
            if (replicas.FirstOrDefault(r => !seen.Contains(Port(r))) is { } missing)
            {
                return $"sentinel {sentinel.EndPoint} does not yet see a synced replica on port {missing.Port}";
            }
        }

        return string.Empty;
    }

    private async Task<int> MasterPortAsync(RedisServerProcess sentinel)
    {
        var address = await _sentinelAdmin.GetServer(sentinel.EndPoint).SentinelGetMasterAddressByNameAsync(ServiceName);
        return address is IPEndPoint ip ? ip.Port : throw new InvalidOperationException($"Sentinel {sentinel.EndPoint} names no master.");
    }

    /// <summary><c>master</c> or <c>slave</c>, from the node itself (ROLE).</summary>
    private async Task<string> RoleAsync(RedisServerProcess node)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { node.EndPoint },
            Password = _password,
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
        });
        return (await connection.GetServer(node.EndPoint).RoleAsync()).Value;
    }

    private static string Port(RedisServerProcess process) => process.Port.ToString(CultureInfo.InvariantCulture);
}
