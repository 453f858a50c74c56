using System.Diagnostics;
using System.Globalization;

namespace TaskQueue.Benchmarks;

/// <summary>
/// The run others publish: <c>million [--jobs 1000000] [--workers 1,4] [--concurrency 100]</c>. For each worker count,
/// on a flushed redis-server: N no-op jobs enqueued in bulk (batches of 1,000, one in flight, timed), then drained by
/// that many worker processes (this harness started as <c>million-worker</c> children, each one real
/// <see cref="Processing.Worker"/> at the given concurrency). The drain is timed from the moment every child is
/// connected and told to go until the store has recorded N successes. Each child writes how often it ran each
/// sequence number to a file, and the parent adds them up: every job exactly once across the processes, or the run fails.
/// Reports jobs/s for both phases, Redis's used_memory at the peak (the whole backlog pending) and Redis's CPU per job.
/// </summary>
internal static class MillionWorkload
{
    private const int Batch = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        BenchOptions options;
        try
        {
            // --workers is this workload's own option.
            var workersAt = Array.IndexOf(args, "--workers");
            options = BenchOptions.Parse(workersAt < 0 ? args : [.. args[..workersAt], .. args[Math.Min(args.Length, workersAt + 2)..]]);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        var jobs = options.Jobs ?? 1_000_000;
        var concurrency = options.Concurrency ?? 100;
        var workerCounts = ArgValue(args, "--workers") is { } list
            ? list.Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray()
            : [1, 4];
        await using var server = await RedisServer.StartAsync(options.AppendOnly);
        Console.WriteLine($"million [taskqueue c={concurrency} per worker process] {jobs:N0} no-op jobs on redis-server 127.0.0.1:{server.Port}, worker processes: {string.Join(", ", workerCounts)}; load {File.ReadAllText("/proc/loadavg").Trim()}");
        var exact = true;
        foreach (var workers in workerCounts)
        {
            exact &= await RunOnceAsync(server, jobs, workers, concurrency);
        }

        return exact ? 0 : 1;
    }

    /// <summary>The child: <c>million-worker --port P --jobs N --concurrency C --ledger FILE</c>; runs until its stdin says "stop".</summary>
    public static async Task<int> WorkerChildAsync(string[] args)
    {
        var port = ArgValue(args, "--port") ?? throw new ArgumentException("million-worker needs --port.");
        var jobs = int.Parse(ArgValue(args, "--jobs") ?? "1000000", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(ArgValue(args, "--concurrency") ?? "100", CultureInfo.InvariantCulture);
        var ledgerPath = ArgValue(args, "--ledger") ?? throw new ArgumentException("million-worker needs --ledger.");
        await using var store = await TaskQueueWorkloads.ConnectAsync("127.0.0.1:" + port, dedicatedIoThreads: false);
        DeliveryLedger.Reset(jobs);
        Console.WriteLine("ready");
        if (await Console.In.ReadLineAsync() != "go")
        {
            return 2;
        }

        using var stop = new CancellationTokenSource();
        var cpuBefore = ProcessCounters.Read();
        var worker = TaskQueueWorkloads.CreateWorker(store, TaskQueueWorkloads.Queue, concurrency);
        var running = worker.RunAsync(stop.Token);
        await Console.In.ReadLineAsync(); // "stop", or end of input when the parent went away
        await stop.CancelAsync();
        await running;
        var cpu = ProcessCounters.Read().Cpu - cpuBefore.Cpu;
        await File.WriteAllBytesAsync(ledgerPath, DeliveryLedger.CountsAsBytes());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {DeliveryLedger.Processed} {cpu.TotalSeconds:0.00} {ProcessCounters.PeakRssBytes()}"));
        return 0;
    }

    private static async Task<bool> RunOnceAsync(RedisServer server, int jobs, int workers, int concurrency)
    {
        await server.FlushAllAsync();
        var empty = await server.ReadMemoryAsync();
        await using var store = await TaskQueueWorkloads.ConnectAsync(server.Endpoint, dedicatedIoThreads: false);
        var started = Stopwatch.GetTimestamp();
        await TaskQueueWorkloads.PrefillAsync(store, jobs, Batch);

        var enqueueSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var peak = await server.ReadMemoryAsync();
        Console.WriteLine($"  {workers} worker process(es): enqueued {jobs:N0} in {enqueueSeconds:0.00} s ({jobs / enqueueSeconds:N0} jobs/s, batches of {Batch}); Redis used_memory {RedisServer.Mb(peak.Used)} with all pending (+{RedisServer.Mb(peak.Used - empty.Used)}), used_memory_rss {RedisServer.Mb(peak.Rss)}");

        var directory = Directory.CreateTempSubdirectory("tq-bench-million-").FullName;
        var children = new List<Process>();
        try
        {
            for (var w = 0; w < workers; w++)
            {
                children.Add(StartChild(server.Port, jobs, concurrency, Path.Combine(directory, $"ledger-{w}.bin")));
            }

            foreach (var child in children)
            {
                if (await child.StandardOutput.ReadLineAsync() != "ready")
                {
                    throw new InvalidOperationException("A million-worker child did not start: " + await child.StandardError.ReadToEndAsync());
                }
            }

            var redisBefore = await server.ReadCountersAsync();
            started = Stopwatch.GetTimestamp();
            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("go");
                await child.StandardInput.FlushAsync();
            }

            // Done when the store has recorded every success: one cheap read every 20 ms.
            var deadline = Stopwatch.StartNew();
            while ((await store.GetQueueStatsAsync(TaskQueueWorkloads.Queue)).ProcessedToday < jobs && deadline.Elapsed < TimeSpan.FromMinutes(30))
            {
                await Task.Delay(20);
            }

            var drainSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var redisAfter = await server.ReadCountersAsync();
            var childReports = new List<string>();
            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("stop");
                await child.StandardInput.FlushAsync();
                childReports.Add(await child.StandardOutput.ReadLineAsync() ?? string.Empty);
                await child.WaitForExitAsync();
            }

            var (missing, duplicates) = CheckLedgers(directory, workers, jobs);
            var stats = await store.GetQueueStatsAsync(TaskQueueWorkloads.Queue);
            var workerCpu = childReports.Sum(r => double.Parse(r.Split(' ')[2], CultureInfo.InvariantCulture));
            var exact = missing == 0 && duplicates == 0 && stats.Pending == 0 && stats.Active == 0 && stats.ProcessedToday == jobs;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {workers} worker process(es): drained {jobs:N0} in {drainSeconds:0.00} s ({jobs / drainSeconds:N0} jobs/s); Redis CPU {(redisAfter.CpuSeconds - redisBefore.CpuSeconds) / jobs * 1e6:0.0} µs/job, workers' CPU {workerCpu / jobs * 1e6:0.0} µs/job; per process: {string.Join("; ", childReports.Select(r => r.Split(' ')[1] + " jobs"))}; delivery {(exact ? "exact" : $"missing={missing} duplicates={duplicates} pending={stats.Pending} active={stats.Active} processed={stats.ProcessedToday}")}"));
            return exact;
        }
        finally
        {
            foreach (var child in children)
            {
                if (!child.HasExited)
                {
                    child.Kill();
                }

                child.Dispose();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private static Process StartChild(int port, int jobs, int concurrency, string ledgerPath)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(MillionWorkload).Assembly.Location);
        }

        foreach (var arg in new[] { "million-worker", "--port", port.ToString(CultureInfo.InvariantCulture), "--jobs", jobs.ToString(CultureInfo.InvariantCulture), "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--ledger", ledgerPath })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The million-worker child did not start.");
    }

    /// <summary>Adds up the children's per-sequence run counts: jobs no process ran, and runs beyond the first.</summary>
    private static (int Missing, int Duplicates) CheckLedgers(string directory, int workers, int jobs)
    {
        var total = new int[jobs];
        for (var w = 0; w < workers; w++)
        {
            var counts = DeliveryLedger.CountsFromBytes(File.ReadAllBytes(Path.Combine(directory, $"ledger-{w}.bin")));
            for (var i = 0; i < jobs; i++)
            {
                total[i] += counts[i];
            }
        }

        return (total.Count(c => c == 0), total.Sum(c => Math.Max(0, c - 1)));
    }

    private static string? ArgValue(string[] args, string name)
        => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
