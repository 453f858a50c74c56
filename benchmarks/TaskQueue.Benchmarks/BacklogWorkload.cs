using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;
using TaskQueue.Client;
using TaskQueue.Generated;
using TaskQueue.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Benchmarks;

/// <summary>
/// The cost of a backlog: <c>backlog [--jobs 1000000] [--concurrency 100] [--dedicated-io]</c>. One run on its own
/// redis-server (no warm-up: memory is what is measured, and a warm-up would only add the JIT's time to the drain):
/// <c>used_memory</c> of the empty store after FLUSHALL; N no-op jobs enqueued in batches of 100 (as add-bulk), then
/// <c>used_memory</c>/<c>used_memory_rss</c> and bytes per pending job; the harness's RSS with the backlog pending;
/// one in-process worker drains them at concurrency 100 (as drain), with this process's peak RSS (VmHWM, reset before
/// the drain) and exact delivery checked as drain does; <c>used_memory</c> with the succeeded jobs kept for the
/// default <see cref="RedisJobStoreOptions.ResultRetention"/> (24 h); then the clean-up a worker does once their
/// retention has passed (lease recovery with a 1 ms retention, up to 1,000 deleted per call) and <c>used_memory</c> after it.
/// </summary>
internal static class BacklogWorkload
{
    public static async Task<int> RunAsync(string[] args)
    {
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

        var jobs = options.Jobs ?? 1_000_000;
        var concurrency = options.Concurrency ?? 100;
        await using var server = await RedisServer.StartAsync(options.AppendOnly);
        Console.WriteLine($"backlog [taskqueue c={concurrency}{(options.DedicatedIoThreads ? " dedicated-io" : "")}] {jobs:N0} jobs on redis-server 127.0.0.1:{server.Port}: 1 run, no warm-up (memory figures)");
        await server.FlushAllAsync();
        var empty = await server.ReadMemoryAsync();
        Console.WriteLine($"  empty store       used_memory {RedisServer.Mb(empty.Used)}  used_memory_rss {RedisServer.Mb(empty.Rss)}");

        await using var store = await TaskQueueWorkloads.ConnectAsync(server.Endpoint, options.DedicatedIoThreads);
        var client = new JobClient(store);
        const int Batch = 100;
        long payloadBytes = 0;
        var requests = new JobRequest[Batch];
        var started = Stopwatch.GetTimestamp();
        for (var sent = 0; sent < jobs; sent += Batch)
        {
            var count = Math.Min(Batch, jobs - sent);
            var batch = count == Batch ? requests : new JobRequest[count];
            for (var i = 0; i < count; i++)
            {
                var payload = Jobs.Noop.Serialize(sent + i);
                payloadBytes += payload.Length;
                batch[i] = new JobRequest(Jobs.Noop.Definition, payload);
            }

            await client.EnqueueManyAsync(batch);
        }

        var enqueueSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var pending = await server.ReadMemoryAsync();
        var stats = await store.GetQueueStatsAsync(TaskQueueWorkloads.Queue);
        Console.WriteLine($"  enqueued          {jobs:N0} in {enqueueSeconds:0.0} s ({jobs / enqueueSeconds:N0} jobs/s), pending {stats.Pending:N0}, payload {payloadBytes / (double)jobs:0.0} B/job (\"{System.Text.Encoding.UTF8.GetString(Jobs.Noop.Serialize(jobs - 1))}\")");
        Console.WriteLine($"  backlog pending   used_memory {RedisServer.Mb(pending.Used)}  used_memory_rss {RedisServer.Mb(pending.Rss)}  keys {pending.Keys:N0}  => {(pending.Used - empty.Used) / (double)jobs:0.0} B/job (used_memory), {(pending.Rss - empty.Rss) / (double)jobs:0.0} B/job (rss)");
        Console.WriteLine($"  harness RSS       {RedisServer.Mb(Environment.WorkingSet)} with the backlog pending, before the worker starts (it enqueued them itself)");

        DeliveryLedger.Reset(jobs);
        using var stop = new CancellationTokenSource();
        ProcessCounters.ResetPeakRss();
        var cpuBefore = ProcessCounters.Read();
        started = Stopwatch.GetTimestamp();
        var worker = TaskQueueWorkloads.CreateWorker(store, TaskQueueWorkloads.Queue, concurrency);
        var running = worker.RunAsync(stop.Token);
        if (!await DeliveryLedger.WaitForAsync(TimeSpan.FromMinutes(30)))
        {
            Console.Error.WriteLine($"backlog: only {DeliveryLedger.Processed} of {jobs} jobs ran within 30 minutes");
        }

        var drainSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var peakRss = ProcessCounters.PeakRssBytes();
        var cpuAfter = ProcessCounters.Read();

        // As drain: stop (which writes every outcome), then give a late duplicate the chance to show.
        await stop.CancelAsync();
        await running;
        stats = await store.GetQueueStatsAsync(TaskQueueWorkloads.Queue);
        var (missing, duplicates) = DeliveryLedger.Check();
        var unrecorded = (int)Math.Max(0, jobs - stats.ProcessedToday);
        if (stats.Pending != 0 || stats.Active != 0 || unrecorded != 0)
        {
            Console.Error.WriteLine($"backlog: after stop pending={stats.Pending} active={stats.Active} processed={stats.ProcessedToday}");
        }

        missing = Math.Max(missing, unrecorded);
        var exact = missing == 0 && duplicates == 0;
        var drained = await server.ReadMemoryAsync();
        Console.WriteLine($"  drained           {jobs:N0} in {drainSeconds:0.0} s ({jobs / drainSeconds:N0} jobs/s), worker CPU {(cpuAfter.Cpu - cpuBefore.Cpu).TotalSeconds:0.0} s, peak harness RSS {RedisServer.Mb(peakRss)} (VmHWM during the drain), delivery {(exact ? "exact" : $"missing={missing} duplicates={duplicates}")}");
        Console.WriteLine($"  succeeded kept    used_memory {RedisServer.Mb(drained.Used)}  used_memory_rss {RedisServer.Mb(drained.Rss)}  keys {drained.Keys:N0}  => {(drained.Used - empty.Used) / (double)jobs:0.0} B/succeeded job (ResultRetention 24 h, the default)");

        // The clean-up once the retention has passed: what a worker's lease recovery does (5 rounds of 200 a call;
        // each completion also deletes up to 200). A store with a 1 ms retention makes every succeeded job expired.
        var succeededKey = (RedisKey)("{" + RedisJobStoreOptions.DefaultKeyPrefix + ":" + TaskQueueWorkloads.Queue + "}:succeeded");
        await using var expiring = await RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = server.Endpoint, ResultRetention = TimeSpan.FromMilliseconds(1) });
        await Task.Delay(10);
        var calls = 0;
        started = Stopwatch.GetTimestamp();
        while (await server.Admin.GetDatabase().ListLengthAsync(succeededKey) > 0)
        {
            await expiring.RecoverExpiredLeasesAsync(TaskQueueWorkloads.Queue, _ => throw new InvalidOperationException("backlog: no lease should have expired"));
            calls++;
        }

        var cleanSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cleaned = await server.ReadMemoryAsync();
        Console.WriteLine($"  after clean-up    used_memory {RedisServer.Mb(cleaned.Used)}  used_memory_rss {RedisServer.Mb(cleaned.Rss)}  keys {cleaned.Keys:N0}  ({calls:N0} recovery calls, {cleanSeconds:0.0} s); used_memory_peak {RedisServer.Mb(cleaned.Peak)}");
        return exact ? 0 : 1;
    }
}
