// TaskQueue benchmark harness. Usage: dotnet run -c Release --project benchmarks/TaskQueue.Benchmarks -- <workload> [options]
// Starts its own redis-server on a free loopback port, runs one warm-up plus --runs measured runs (FLUSHALL before each)
// and prints median/min/max with the per-job Redis, CPU, allocation and RSS figures. See docs/benchmarks.md.
using System.Globalization;
using TaskQueue.Benchmarks;

if (args.Length > 0 && args[0] == "report")
{
    // report --results FILE --doc FILE [--aot FILE] [--micro FILE] [--machine FILE]
    string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    return MarkdownReport.Write(Arg("--results") ?? "results.tsv", Arg("--aot"), Arg("--micro"), Arg("--machine"), Arg("--doc") ?? "docs/benchmarks.md");
}

if (args.Length > 0 && args[0] == "idle-schedules")
{
    // idle-schedules [--schedules 1000] [--schedulers 0,1,3] [--queues 1] [--seconds 60]: the scheduler's idle cost.
    return await IdleSchedulesWorkload.RunAsync(args);
}

if (args.Length > 0 && args[0] == "cluster")
{
    // cluster --masters N [--replicas 0|1] [--queues 12] [--enqueue-replicas R] [--phases bulk,drain|serial|latency]: see ClusterWorkloads.
    return await ClusterWorkloads.RunAsync(args);
}

if (args.Length > 0 && args[0] == "backlog")
{
    // backlog [--jobs 1000000] [--concurrency 100]: Redis memory per pending job, the worker's RSS, drain time, what stays.
    return await BacklogWorkload.RunAsync(args);
}

if (args.Length > 0 && args[0] == "million")
{
    // million [--jobs 1000000] [--workers 1,4] [--concurrency 100]: 1M bulk-enqueued no-op jobs drained by 1 and 4 worker processes.
    return await MillionWorkload.RunAsync(args);
}

if (args.Length > 0 && args[0] == "million-worker")
{
    return await MillionWorkload.WorkerChildAsync(args);
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

if (options.Workload is "produce" or "produce-idle")
{
    return await LatencyWorkloads.ProduceAsync(options);
}

if (!Workloads.TryGet(options.Workload, out var config, out var run))
{
    Console.Error.WriteLine($"Unknown workload '{options.Workload}'. Workloads: {string.Join(", ", Workloads.Names)}");
    return 2;
}

config += options.AppendOnly ? " aof-everysec" : string.Empty;
config += options.DedicatedIoThreads ? " dedicated-io" : string.Empty;
config += options.Telemetry ? " telemetry" : string.Empty;
// Workers at concurrency 100 unless given: drain and the workloads that drain (steady, delayed-burst, failing).
var drains = new[] { "drain", "steady", "delayed-burst", "failing" }.Any(w => options.Workload.Contains(w, StringComparison.Ordinal));
if (drains || options.Workload.Contains("latency", StringComparison.Ordinal) || options.Workload.Contains("concurrent", StringComparison.Ordinal))
{
    config += " c=" + (options.Concurrency ?? (drains ? 100 : options.Workload.Contains("concurrent", StringComparison.Ordinal) ? 64 : 10)).ToString(CultureInfo.InvariantCulture);
}

if (options.Workload.Contains("steady", StringComparison.Ordinal))
{
    config += " " + (options.SecondsOption ?? 30).ToString(CultureInfo.InvariantCulture) + " s" + (options.RateGiven ? " rate=" + options.Rate.ToString(CultureInfo.InvariantCulture) + "/s" : string.Empty);
}

if (options.Workload.Contains("latency", StringComparison.Ordinal))
{
    config += " rate=" + options.Rate.ToString(CultureInfo.InvariantCulture) + "/s";
}

using var telemetry = options.Telemetry ? new TelemetryRecorder() : null;
await using var server = await RedisServer.StartAsync(options.AppendOnly);
var context = new BenchContext(options, server);
Console.WriteLine($"{options.Workload} [{config}] on redis-server 127.0.0.1:{server.Port}: 1 warm-up + {options.Runs} measured runs");
var results = new List<RunResult>();
for (var i = 0; i <= options.Runs; i++)
{
    await server.FlushAllAsync();
    var result = await run(context);
    Console.WriteLine((i == 0 ? "  warm-up " : $"  run {i}    ") + result.Describe());
    if (i > 0)
    {
        results.Add(result);
    }
}

if (telemetry is not null)
{
    Console.WriteLine("  " + telemetry.Describe());
}

Report.Write(options, config, results);
return results.All(r => r.ExactDelivery) ? 0 : 1;
