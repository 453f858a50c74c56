namespace TaskQueue.Benchmarks;

/// <summary>The workloads by name, and the measurement shape they share.</summary>
internal static class Workloads
{
    public delegate Task<RunResult> Run(BenchContext context);

    private static readonly Dictionary<string, (string Config, Run Run)> s_all = new(StringComparer.Ordinal)
    {
        ["add-serial"] = ("taskqueue", TaskQueueWorkloads.AddSerialAsync),
        ["add-concurrent"] = ("taskqueue", TaskQueueWorkloads.AddConcurrentAsync),
        ["add-bulk"] = ("taskqueue", TaskQueueWorkloads.AddBulkAsync),
        ["drain"] = ("taskqueue", TaskQueueWorkloads.DrainAsync),
        ["latency"] = ("taskqueue", LatencyWorkloads.PickupAsync),
        ["idle-start"] = ("taskqueue", LatencyWorkloads.IdleStartAsync),
        ["idle-baseline"] = ("stackexchange.redis", IdleBaselineWorkload.RunAsync),
        ["hangfire-add-serial"] = ("hangfire", HangfireWorkloads.AddSerialAsync),
        ["hangfire-add-concurrent"] = ("hangfire", HangfireWorkloads.AddConcurrentAsync),
        ["hangfire-add-bulk"] = ("hangfire", HangfireWorkloads.AddBulkAsync),
        ["hangfire-drain"] = ("hangfire", HangfireWorkloads.DrainAsync),
        ["bullmq-add-serial"] = ("bullmq", BullMqWorkloads.AddSerialAsync),
        ["bullmq-add-concurrent"] = ("bullmq", BullMqWorkloads.AddConcurrentAsync),
        ["bullmq-add-bulk"] = ("bullmq", BullMqWorkloads.AddBulkAsync),
        ["bullmq-drain"] = ("bullmq", BullMqWorkloads.DrainAsync),
        ["bullmq-latency"] = ("bullmq", BullMqWorkloads.LatencyAsync),
        ["steady"] = ("taskqueue", SteadyStateWorkload.RunAsync),
        ["delayed-burst"] = ("taskqueue", DelayedBurstWorkload.RunAsync),
        ["failing"] = ("taskqueue", FailingJobsWorkload.RunAsync),
        ["bullmq-steady"] = ("bullmq", BullMqWorkloads.SteadyAsync),
        ["bullmq-delayed-burst"] = ("bullmq", BullMqWorkloads.DelayedBurstAsync),
        ["bullmq-failing"] = ("bullmq", BullMqWorkloads.FailingAsync),
        ["ceiling"] = ("redis-benchmark", CeilingWorkload.RunAsync),
        ["mechanism-add-bulk"] = ("mechanism", MechanismWorkloads.AddBulkAsync),
        ["mechanism-drain"] = ("mechanism", MechanismWorkloads.DrainAsync),
    };

    public static IEnumerable<string> Names => s_all.Keys;

    public static bool TryGet(string name, out string config, out Run run)
    {
        var found = s_all.TryGetValue(name, out var entry);
        (config, run) = entry;
        return found;
    }

    /// <summary>
    /// Measures <paramref name="body"/> in this process: wall time, Redis command and CPU deltas, this process's
    /// allocations, CPU and peak RSS; then asks <paramref name="check"/> for missing and duplicated jobs.
    /// </summary>
    public static Task<RunResult> MeasureAsync(BenchContext context, int jobs, Func<Task> body, Func<Task<(int Missing, int Duplicates)>> check, Func<double[]>? latency = null)
        => MeasureAsync(context, () => jobs, body, check, latency);

    /// <summary>As above, for a run whose job count is known only after <paramref name="body"/> (steady state: jobs completed in the window).</summary>
    public static async Task<RunResult> MeasureAsync(BenchContext context, Func<int> countJobs, Func<Task> body, Func<Task<(int Missing, int Duplicates)>> check, Func<double[]>? latency = null, Func<string>? note = null)
    {
        var redisBefore = await context.Server.ReadCountersAsync();
        ProcessCounters.ResetPeakRss();
        var before = ProcessCounters.Read();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await body();
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        var after = ProcessCounters.Read();
        var peak = ProcessCounters.PeakRssBytes();
        var redisAfter = await context.Server.ReadCountersAsync();
        var jobs = countJobs();
        var (missing, duplicates) = await check();
        return new RunResult
        {
            Jobs = jobs,
            Seconds = seconds,
            Missing = missing,
            Duplicates = duplicates,
            Redis = redisAfter - redisBefore,
            ClientCpuSeconds = (after.Cpu - before.Cpu).TotalSeconds,
            AllocatedBytes = after.AllocatedBytes - before.AllocatedBytes,
            PeakRssBytes = peak,
            LatencyMs = latency?.Invoke(),
            Note = note?.Invoke(),
        };
    }
}
