using System.Diagnostics;
using System.Globalization;

namespace TaskQueue.TestSupport;

/// <summary>
/// A Redis Cluster of this test run: <see cref="Masters"/> masters with one replica each, every node a
/// <c>redis-server --cluster-enabled yes</c> process on a free loopback port, joined by <c>redis-cli --cluster create</c>.
/// Ready once every node reports <c>cluster_state:ok</c>, knows every other node and each replica is in sync. A test may
/// kill a master (its replica is promoted after the node timeout) and restart it (it rejoins as a replica). Every
/// process is stopped by its PID on dispose.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    /// <summary>How long a node may be unreachable before the others mark it failed and promote its replica.</summary>
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long <see cref="StartAsync"/> and the waits after a fault allow for the cluster to settle.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The number of hash slots of every Redis Cluster.</summary>
    private const int SlotCount = 16384;

    private readonly RedisServerProcess[] _nodes;

    private RedisCluster(RedisServerProcess[] nodes, int masters)
    {
        _nodes = nodes;
        Masters = masters;
    }

    /// <summary>How many masters the cluster was made with (each has one replica).</summary>
    public int Masters { get; }

    /// <summary>Every node, masters first as created (roles change after a failover: see <see cref="NodesAsync"/>).</summary>
    public IReadOnlyList<RedisServerProcess> Nodes => _nodes;

    /// <summary>Every node's endpoint: a StackExchange.Redis connection string that finds the cluster from any of them.</summary>
    public string ConnectionString => string.Join(',', _nodes.Select(static n => n.EndPoint));

    /// <summary>
    /// Starts <paramref name="masters"/> masters and as many replicas (with <paramref name="replicas"/> false: masters
    /// only) and waits until the cluster is ready. <paramref name="nodeArguments"/> are added to every node's command line.
    /// </summary>
    /// <exception cref="InvalidOperationException">A node or <c>redis-cli</c> failed (their output is in the message).</exception>
    /// <exception cref="TimeoutException">The cluster was not ready within a minute.</exception>
    public static async Task<RedisCluster> StartAsync(int masters = 3, bool replicas = true, IEnumerable<string>? nodeArguments = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(masters, 1);
        string[] arguments =
        [
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", ((int)NodeTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            "--repl-diskless-sync-delay", "0", // a replica syncs at once, not after Redis's 5 s wait for others
            .. nodeArguments ?? [],
        ];
        var count = replicas ? masters * 2 : masters;
        var started = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            try
            {
                return await RedisServerProcess.StartAsync(arguments).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                return null;
            }
        })).ConfigureAwait(false);

        var cluster = new RedisCluster([.. started.OfType<RedisServerProcess>()], masters);
        try
        {
            if (cluster._nodes.Length != count)
            {
                throw new InvalidOperationException($"Only {cluster._nodes.Length} of {count} cluster nodes started.");
            }

            // redis-cli makes the first `masters` endpoints masters and assigns the rest as their replicas.
            List<string> create = ["--cluster", "create", .. cluster._nodes.Select(static n => n.EndPoint), "--cluster-yes"];
            if (replicas)
            {
                create.AddRange(["--cluster-replicas", "1"]);
            }

            var (code, output) = await RunCliAsync(create).ConfigureAwait(false);
            if (code != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed ({code}): {output}");
            }

            await cluster.WaitUntilSettledAsync().ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Waits until every running node reports <c>cluster_state:ok</c>, agrees on the masters serving all 16384 slots,
    /// and every master has an online replica that is in sync (same replication offset). After a failover the killed
    /// master may still be down: its replica, now a master, then has no replica of its own, which this accepts.
    /// </summary>
    /// <exception cref="TimeoutException">Not settled within a minute; the last view is in the message.</exception>
    public async Task WaitUntilSettledAsync()
    {
        var clock = Stopwatch.StartNew();
        var last = string.Empty;
        while (clock.Elapsed < SettleTimeout)
        {
            (var settled, last) = await IsSettledAsync().ConfigureAwait(false);
            if (settled)
            {
                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"The cluster did not settle within {SettleTimeout.TotalSeconds} s: {last}");
    }

    /// <summary>The cluster's view of its nodes, as the first reachable running node reports it (<c>CLUSTER NODES</c>).</summary>
    public async Task<IReadOnlyList<ClusterNode>> NodesAsync()
    {
        foreach (var node in Running())
        {
            var (code, output) = await RunCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "nodes"]).ConfigureAwait(false);
            if (code == 0 && !output.StartsWith("Could not connect", StringComparison.Ordinal))
            {
                return ClusterNode.ParseAll(output);
            }
        }

        throw new InvalidOperationException("No cluster node answered CLUSTER NODES.");
    }

    /// <summary>The process of the master that serves <paramref name="key"/>'s slot now.</summary>
    public async Task<RedisServerProcess> MasterOfAsync(string key)
    {
        var any = Running().First();
        var slot = int.Parse(await CommandAsync(any, "cluster", "keyslot", key).ConfigureAwait(false), CultureInfo.InvariantCulture);
        var master = (await NodesAsync().ConfigureAwait(false)).Single(n => n.IsMaster && !n.IsFailed && n.Serves(slot));
        return _nodes.Single(n => n.Port == master.Port);
    }

    /// <summary>The process of the replica of the master at <paramref name="masterPort"/>.</summary>
    public async Task<RedisServerProcess> ReplicaOfAsync(int masterPort)
    {
        var nodes = await NodesAsync().ConfigureAwait(false);
        var master = nodes.Single(n => n.Port == masterPort);
        var replica = nodes.Single(n => !n.IsMaster && n.MasterId == master.Id);
        return _nodes.Single(n => n.Port == replica.Port);
    }

    /// <summary>
    /// Waits until <paramref name="replica"/> is a master serving slots (its master was killed: the other masters mark
    /// it failed after <see cref="NodeTimeout"/> and elect the replica), and returns how long that took.
    /// </summary>
    /// <exception cref="TimeoutException">Not promoted within <paramref name="timeout"/>; the cluster's view and the replica's log are in the message.</exception>
    public async Task<TimeSpan> WaitForPromotionAsync(RedisServerProcess replica, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<ClusterNode> view = [];
        while (clock.Elapsed < timeout)
        {
            try
            {
                view = await NodesAsync().ConfigureAwait(false);
                if (view.Any(n => n.Port == replica.Port && n.IsMaster && n.Slots.Count > 0))
                {
                    return clock.Elapsed;
                }
            }
            catch (InvalidOperationException)
            {
                // No node answered this time.
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException(
            $"{replica.EndPoint} was not promoted within {timeout.TotalSeconds} s; the cluster says: {string.Join(" | ", view)}; the replica logged:\n"
            + string.Join('\n', replica.Output.Split('\n').TakeLast(30)));
    }

    /// <summary>Runs <c>redis-cli -p PORT args...</c> against one node and returns its output (trimmed).</summary>
    /// <exception cref="InvalidOperationException">redis-cli failed.</exception>
    public static async Task<string> CommandAsync(RedisServerProcess node, params string[] args)
    {
        var (code, output) = await RunCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), .. args]).ConfigureAwait(false);
        return code == 0 ? output.Trim() : throw new InvalidOperationException($"redis-cli {string.Join(' ', args)} on {node.EndPoint} failed ({code}): {output}");
    }

    /// <summary>Kills every node (by the PIDs this object started) and deletes their directories.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IEnumerable<RedisServerProcess> Running() => _nodes.Where(static n => n.IsRunning);

    private async Task<(bool Settled, string View)> IsSettledAsync()
    {
        foreach (var node in Running())
        {
            var (code, info) = await RunCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"]).ConfigureAwait(false);
            if (code != 0 || !info.Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return (false, $"{node.EndPoint}: {info}");
            }
        }

        var nodes = await NodesAsync().ConfigureAwait(false);
        var masters = nodes.Where(static n => n.IsMaster && !n.IsFailed && n.Slots.Count > 0).ToList();
        if (masters.Sum(static m => m.Slots.Sum(static r => r.End - r.Start + 1)) != SlotCount)
        {
            return (false, "slots not all served: " + string.Join(" | ", nodes));
        }

        // With every node running, each master must have its replica in this view too (right after the create, a
        // node may not have learnt the replica roles yet); after a failover whose old master is still down, its
        // promoted replica has none.
        var allRunning = _nodes.All(static n => n.IsRunning);
        foreach (var master in masters)
        {
            var process = _nodes.Single(n => n.Port == master.Port);
            var replication = await CommandAsync(process, "info", "replication").ConfigureAwait(false);
            var hasReplica = nodes.Any(n => !n.IsMaster && !n.IsFailed && n.MasterId == master.Id && _nodes.Single(p => p.Port == n.Port).IsRunning);
            if (!hasReplica && allRunning && _nodes.Length > Masters)
            {
                return (false, $"the cluster's view shows no replica of {master.EndPoint} yet: {string.Join(" | ", nodes)}");
            }

            if (hasReplica && !ReplicaInSync(replication))
            {
                return (false, $"replica of {master.EndPoint} not in sync: {replication}");
            }
        }

        return (true, string.Empty);
    }

    /// <summary>Whether the master's <c>INFO replication</c> shows an online replica at the master's own offset.</summary>
    private static bool ReplicaInSync(string replication)
    {
        var lines = replication.Split('\n', StringSplitOptions.TrimEntries);
        var offset = lines.FirstOrDefault(static l => l.StartsWith("master_repl_offset:", StringComparison.Ordinal))?.Split(':')[1];
        var replica = lines.FirstOrDefault(static l => l.StartsWith("slave0:", StringComparison.Ordinal));
        return offset is not null && replica is not null
            && replica.Contains("state=online", StringComparison.Ordinal)
            && replica.Contains($"offset={offset},", StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunCliAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("redis-cli")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-h");
        start.ArgumentList.Add("127.0.0.1");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }
}
