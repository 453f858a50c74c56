using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace TaskQueue.Benchmarks;

/// <summary>
/// The redis-servers of one <c>cluster</c> run: with <c>masters</c> ≥ 1 a Redis Cluster of that many masters (and one
/// replica each with <c>replicas</c>), every node a <c>redis-server --cluster-enabled yes</c> on a free loopback port in
/// its own temp directory, joined by <c>redis-cli --cluster create</c>; with <c>masters</c> = 0 one plain redis-server
/// (the single-server reference). Ready once every node reports <c>cluster_state:ok</c>, all 16384 slots are served
/// and every replica is in sync. Every process is killed by the PID this object started, and the directories deleted.
/// The harness's own equivalent of tests/TaskQueue.TestSupport/RedisCluster.cs (the harness references no test project).
/// </summary>
internal sealed class RedisClusterServers : IAsyncDisposable
{
    private const int SlotCount = 16384;

    private readonly List<Node> _nodes = [];

    private RedisClusterServers(int masters, bool replicas)
    {
        Masters = masters;
        Replicas = replicas;
    }

    /// <summary>Masters of the cluster; 0 for the plain single redis-server.</summary>
    public int Masters { get; }

    public bool Replicas { get; }

    public bool IsCluster => Masters > 0;

    /// <summary>Every node (masters first, as created).</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>The nodes that hold data written by clients: the masters (or the single server).</summary>
    public IEnumerable<Node> Primaries => _nodes.Where(n => n.IsPrimary);

    /// <summary>Every node's endpoint: StackExchange.Redis finds the cluster from any of them.</summary>
    public string ConnectionString => string.Join(',', _nodes.Select(n => n.Endpoint));

    /// <summary>A connection to every node for FLUSHALL, CONFIG RESETSTAT and INFO (allowAdmin).</summary>
    public ConnectionMultiplexer Admin { get; private set; } = null!;

    public static async Task<RedisClusterServers> StartAsync(int masters, bool replicas)
    {
        var servers = new RedisClusterServers(masters, replicas);
        try
        {
            var count = masters == 0 ? 1 : replicas ? masters * 2 : masters;
            for (var i = 0; i < count; i++)
            {
                servers._nodes.Add(Node.Start(masters > 0, isPrimary: i < Math.Max(1, masters)));
            }

            foreach (var node in servers._nodes)
            {
                await node.WaitForPingAsync();
            }

            if (masters is 1 or 2)
            {
                // redis-cli --cluster create refuses fewer than 3 masters: the same by hand (slots split evenly, MEET, REPLICATE).
                await servers.CreateByHandAsync();
            }
            else if (masters > 0)
            {
                // redis-cli makes the first `masters` endpoints masters and the rest their replicas.
                List<string> create = ["--cluster", "create", .. servers._nodes.Select(n => n.Endpoint), "--cluster-yes"];
                if (replicas)
                {
                    create.AddRange(["--cluster-replicas", "1"]);
                }

                var (code, output) = await RunCliAsync(create);
                if (code != 0)
                {
                    throw new InvalidOperationException($"redis-cli --cluster create failed ({code}): {output}");
                }

                await servers.WaitUntilSettledAsync();
            }

            servers.Admin = await ConnectionMultiplexer.ConnectAsync(servers.ConnectionString + ",allowAdmin=true,abortConnect=true,connectTimeout=2000");
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    private async Task CreateByHandAsync()
    {
        var primaries = _nodes.Where(n => n.IsPrimary).ToList();
        for (var i = 0; i < primaries.Count; i++)
        {
            var first = SlotCount * i / primaries.Count;
            var last = (SlotCount * (i + 1) / primaries.Count) - 1;
            await CommandAsync(primaries[i], "cluster", "addslotsrange", first.ToString(CultureInfo.InvariantCulture), last.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var node in _nodes.Skip(1))
        {
            await CommandAsync(_nodes[0], "cluster", "meet", "127.0.0.1", node.Port.ToString(CultureInfo.InvariantCulture));
        }

        var replicas = _nodes.Where(n => !n.IsPrimary).ToList();
        for (var i = 0; i < replicas.Count; i++)
        {
            var masterId = await CommandAsync(primaries[i], "cluster", "myid");
            var clock = Stopwatch.StartNew();
            while (true)
            {
                // The replica must know the master (MEET spreads by gossip) before it can replicate it.
                var reply = await RunCliAsync(["-p", replicas[i].Port.ToString(CultureInfo.InvariantCulture), "cluster", "replicate", masterId]);
                if (reply.Output.Trim() == "OK")
                {
                    break;
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new InvalidOperationException($"CLUSTER REPLICATE on {replicas[i].Endpoint} failed: {reply.Output}");
                }

                await Task.Delay(100);
            }
        }
    }

    /// <summary>The master that serves <paramref name="key"/>'s slot (CLUSTER KEYSLOT + CLUSTER NODES); the server itself when not a cluster.</summary>
    public async Task<Node> PrimaryOfAsync(string key)
    {
        if (!IsCluster)
        {
            return _nodes[0];
        }

        var slot = int.Parse(await CommandAsync(_nodes[0], "cluster", "keyslot", key), CultureInfo.InvariantCulture);
        var owner = (await ClusterNodesAsync()).Single(n => n.IsMaster && n.Serves(slot));
        return _nodes.Single(n => n.Port == owner.Port);
    }

    /// <summary>FLUSHALL on every primary (replicas follow), then waits for the replicas, then CONFIG RESETSTAT everywhere.</summary>
    public async Task FlushAllAsync()
    {
        foreach (var node in Primaries)
        {
            await Admin.GetServer(node.Endpoint).FlushAllDatabasesAsync();
        }

        if (Replicas)
        {
            await WaitUntilSettledAsync();
        }

        foreach (var node in _nodes)
        {
            await Admin.GetServer(node.Endpoint).ExecuteAsync("CONFIG", "RESETSTAT");
        }
    }

    /// <summary>Per node: calls per command since the last reset and its CPU seconds (INFO cpu, user + sys).</summary>
    public async Task<RedisCounters[]> ReadCountersAsync()
    {
        var result = new RedisCounters[_nodes.Count];
        for (var i = 0; i < _nodes.Count; i++)
        {
            var text = (string?)await Admin.GetServer(_nodes[i].Endpoint).ExecuteAsync("INFO", "all") ?? string.Empty;
            result[i] = ParseInfo(text);
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (Admin is not null)
        {
            await Admin.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>
    /// Commands and CPU of one INFO all reply. The harness's own calls and the replication handshake and acks are not
    /// the workload's (WAIT, the durability mode's, stays).
    /// </summary>
    private static RedisCounters ParseInfo(string text)
        => RedisServer.ParseCounters(text, "info", "config", "cluster", "ping", "replconf", "psync", "flushall");

    private async Task WaitUntilSettledAsync()
    {
        var clock = Stopwatch.StartNew();
        var last = string.Empty;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            (var settled, last) = await IsSettledAsync();
            if (settled)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The cluster did not settle within 60 s: " + last);
    }

    private async Task<(bool Settled, string View)> IsSettledAsync()
    {
        foreach (var node in _nodes)
        {
            var info = await CommandAsync(node, "cluster", "info");
            if (!info.Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return (false, node.Endpoint + ": " + info);
            }
        }

        var view = await ClusterNodesAsync();
        if (view.Count != _nodes.Count)
        {
            return (false, $"{view.Count} of {_nodes.Count} nodes known");
        }

        var masters = view.Where(n => n.IsMaster && n.Slots.Count > 0).ToList();
        if (masters.Sum(m => m.Slots.Sum(r => r.End - r.Start + 1)) != SlotCount)
        {
            return (false, "slots not all served");
        }

        if (Replicas)
        {
            foreach (var master in masters)
            {
                var replication = await CommandAsync(_nodes.Single(n => n.Port == master.Port), "info", "replication");
                var lines = replication.Split('\n', StringSplitOptions.TrimEntries);
                var offset = lines.FirstOrDefault(l => l.StartsWith("master_repl_offset:", StringComparison.Ordinal))?.Split(':')[1];
                var replica = lines.FirstOrDefault(l => l.StartsWith("slave0:", StringComparison.Ordinal));
                if (offset is null || replica is null || !replica.Contains("state=online", StringComparison.Ordinal) || !replica.Contains($"offset={offset},", StringComparison.Ordinal))
                {
                    return (false, $"replica of {master.Port} not in sync: {replica}");
                }
            }
        }

        return (true, string.Empty);
    }

    private async Task<List<ClusterView>> ClusterNodesAsync()
        => [.. (await CommandAsync(_nodes[0], "cluster", "nodes")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ClusterView.Parse)];

    private static async Task<string> CommandAsync(Node node, params string[] args)
    {
        var (code, output) = await RunCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), .. args]);
        return code == 0 ? output.Trim() : throw new InvalidOperationException($"redis-cli {string.Join(' ', args)} on {node.Endpoint} failed ({code}): {output}");
    }

    private static async Task<(int Code, string Output)> RunCliAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-h");
        start.ArgumentList.Add("127.0.0.1");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start; install redis-tools.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>One redis-server process of this run.</summary>
    internal sealed class Node : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _directory;

        private Node(int port, bool isPrimary, Process process, string directory)
        {
            Port = port;
            IsPrimary = isPrimary;
            _process = process;
            _directory = directory;
        }

        public int Port { get; }

        /// <summary>A master (or the single server); false for a replica (role as created; this harness makes no failover).</summary>
        public bool IsPrimary { get; }

        public int Pid => _process.Id;

        public string Endpoint => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

        public static Node Start(bool clusterEnabled, bool isPrimary)
        {
            var port = FreePort();
            var directory = Directory.CreateTempSubdirectory("tq-bench-cluster-").FullName;
            var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = directory };
            foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory, "--protected-mode", "no" })
            {
                start.ArgumentList.Add(arg);
            }

            if (clusterEnabled)
            {
                foreach (var arg in new[] { "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf" })
                {
                    start.ArgumentList.Add(arg);
                }
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start; install it (apt-get install redis-server).");
            _ = process.StandardOutput.ReadToEndAsync();
            return new Node(port, isPrimary, process, directory);
        }

        public async Task WaitForPingAsync()
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if ((await RunCliAsync(["-p", Port.ToString(CultureInfo.InvariantCulture), "ping"])).Output.Trim() == "PONG")
                    {
                        return;
                    }
                }
                catch (InvalidOperationException) when (clock.Elapsed < TimeSpan.FromSeconds(10))
                {
                }

                if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(10))
                {
                    throw new InvalidOperationException($"redis-server on port {Port} did not answer PING.");
                }

                await Task.Delay(50);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }

        private static int FreePort()
        {
            // The cluster bus listens on port + 10000: pick a port whose bus port is free too.
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (port + 10000 > 65535)
                {
                    continue;
                }

                try
                {
                    using var bus = new TcpListener(IPAddress.Loopback, port + 10000);
                    bus.Start();
                    return port;
                }
                catch (SocketException)
                {
                }
            }
        }
    }

    /// <summary>One line of CLUSTER NODES: port, role and slot ranges.</summary>
    private sealed record ClusterView(int Port, bool IsMaster, IReadOnlyList<(int Start, int End)> Slots)
    {
        public bool Serves(int slot) => Slots.Any(r => r.Start <= slot && slot <= r.End);

        // <id> <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot> <slot> ...
        public static ClusterView Parse(string line)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var address = fields[1].Split('@')[0];
            var port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            var slots = fields.Skip(8)
                .Where(s => !s.StartsWith('['))
                .Select(s => s.Split('-') is [var a, var b]
                    ? (int.Parse(a, CultureInfo.InvariantCulture), int.Parse(b, CultureInfo.InvariantCulture))
                    : (int.Parse(s, CultureInfo.InvariantCulture), int.Parse(s, CultureInfo.InvariantCulture)))
                .ToList();
            return new ClusterView(port, fields[2].Split(',').Contains("master"), slots);
        }
    }
}
