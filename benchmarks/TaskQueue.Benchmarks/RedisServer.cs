using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace TaskQueue.Benchmarks;

/// <summary>A private redis-server on a free loopback port, started for one harness run and killed at the end.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly Process? _process;
    private readonly string? _directory;

    private RedisServer(int port, Process? process, string? directory, ConnectionMultiplexer admin)
    {
        Port = port;
        _process = process;
        _directory = directory;
        Admin = admin;
    }

    public int Port { get; }

    public string Endpoint => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>A connection for FLUSHALL and INFO (allowAdmin).</summary>
    public ConnectionMultiplexer Admin { get; }

    public static async Task<RedisServer> StartAsync(bool appendOnly)
    {
        var port = FreePort();
        var directory = Directory.CreateTempSubdirectory("tq-bench-redis-").FullName;
        var arguments = $"--port {port} --bind 127.0.0.1 --save \"\" --dir {directory} --protected-mode no "
            + (appendOnly ? "--appendonly yes --appendfsync everysec" : "--appendonly no");
        var process = Process.Start(new ProcessStartInfo("redis-server", arguments) { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("redis-server did not start; install it (apt-get install redis-server).");
        _ = process.StandardOutput.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // Long timeouts: FLUSHALL after a steady row's leftover backlog (a million jobs) takes seconds.
                var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true,abortConnect=true,connectTimeout=500,asyncTimeout=120000,syncTimeout=120000");
                return new RedisServer(port, process, directory, admin);
            }
            catch (RedisConnectionException) when (deadline.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public static async Task<RedisServer> AttachAsync(int port)
        => new(port, null, null, await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true"));

    /// <summary>Megabytes (MiB) with one decimal, for reports.</summary>
    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    /// <summary><c>INFO memory</c>'s used_memory, used_memory_rss and used_memory_peak, and <c>DBSIZE</c>.</summary>
    public async Task<(long Used, long Rss, long Peak, long Keys)> ReadMemoryAsync()
    {
        var db = Admin.GetDatabase();
        var text = (string?)await db.ExecuteAsync("INFO", "memory") ?? string.Empty;
        long Field(string name)
        {
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                if (line.StartsWith(name + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
                }
            }

            throw new InvalidOperationException($"INFO memory has no '{name}'.");
        }

        var keys = (long)await db.ExecuteAsync("DBSIZE");
        return (Field("used_memory"), Field("used_memory_rss"), Field("used_memory_peak"), keys);
    }

    public async Task FlushAllAsync()
    {
        await Admin.GetServer(Endpoint).FlushAllDatabasesAsync();
        await Admin.GetDatabase().ExecuteAsync("CONFIG", "RESETSTAT");
    }

    /// <summary>Calls per command since the last reset, and the server's CPU seconds (user + sys).</summary>
    public async Task<RedisCounters> ReadCountersAsync()
        => ParseCounters((string?)await Admin.GetDatabase().ExecuteAsync("INFO", "all") ?? string.Empty, "info", "config");

    /// <summary>Commands and CPU of one <c>INFO all</c> reply, without <paramref name="ours"/> (the harness's own commands).</summary>
    public static RedisCounters ParseCounters(string text, params string[] ours)
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        double cpu = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                // cmdstat_evalsha:calls=12,usec=...
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var name = line[8..colon];
                var callsText = line[(colon + 7)..line.IndexOf(',', colon)];
                calls[name] = long.Parse(callsText, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("used_cpu_sys:", StringComparison.Ordinal) || line.StartsWith("used_cpu_user:", StringComparison.Ordinal))
            {
                cpu += double.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
            }
        }

        foreach (var name in ours)
        {
            calls.Remove(name);
        }

        return new RedisCounters(calls, cpu);
    }

    public async ValueTask DisposeAsync()
    {
        await Admin.DisposeAsync();
        if (_process is not null)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A snapshot of INFO commandstats and server CPU.</summary>
internal sealed record RedisCounters(IReadOnlyDictionary<string, long> Calls, double CpuSeconds)
{
    private static readonly HashSet<string> ClientIssuedScripts = new(StringComparer.Ordinal) { "evalsha", "eval", "evalsha_ro", "eval_ro", "fcall" };

    public long TotalCalls => Calls.Values.Sum();

    public long ScriptCalls => Calls.Where(c => ClientIssuedScripts.Contains(c.Key)).Sum(c => c.Value);

    public static RedisCounters operator -(RedisCounters after, RedisCounters before)
        => new(after.Calls.ToDictionary(c => c.Key, c => c.Value - before.Calls.GetValueOrDefault(c.Key), StringComparer.Ordinal), after.CpuSeconds - before.CpuSeconds);

    /// <summary>The busiest commands, e.g. <c>evalsha=2.0 hset=3.0</c> per job.</summary>
    /// <summary>The busiest commands per job: 6, or as many as the environment variable TQ_BENCH_TOP_COMMANDS says (profiling).</summary>
    public string TopPerJob(long jobs)
        => string.Join(' ', Calls.Where(c => c.Value > 0).OrderByDescending(c => c.Value).Take(int.TryParse(Environment.GetEnvironmentVariable("TQ_BENCH_TOP_COMMANDS"), out var n) ? n : 6)
            .Select(c => c.Key + "=" + (c.Value / (double)jobs).ToString("0.##", CultureInfo.InvariantCulture)));
}
