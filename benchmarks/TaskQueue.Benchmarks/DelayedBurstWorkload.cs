using System.Diagnostics;
using System.Globalization;
using TaskQueue.Client;
using TaskQueue.Generated;

namespace TaskQueue.Benchmarks;

/// <summary>
/// Delayed burst: <c>--jobs</c> (default 10,000) jobs scheduled with <see cref="JobOptions.RunAt"/> to be due at one
/// instant about 2 s ahead, while the real worker runs. Each job records its lateness (handler start − due time) in the
/// HdrHistogram; the run's time is from the first enqueue until the last job ran.
/// </summary>
internal static class DelayedBurstWorkload
{
    public const string Queue = "delayed";
    private static readonly TimeSpan s_ahead = TimeSpan.FromSeconds(2);
    private static int s_early;
    private static long s_maxEarlyTicks;

    /// <summary>
    /// Records lateness in <see cref="Stopwatch"/> ticks; a job that started before its due time is counted apart
    /// (the histogram holds positive values only) so an early start shows instead of reading as 1 µs late.
    /// </summary>
    public static void RecordLateness(long ticks)
    {
        if (ticks >= 0)
        {
            LatencyRecorder.Record(ticks);
            return;
        }

        Interlocked.Increment(ref s_early);
        for (var seen = Volatile.Read(ref s_maxEarlyTicks); -ticks > seen; seen = Volatile.Read(ref s_maxEarlyTicks))
        {
            if (Interlocked.CompareExchange(ref s_maxEarlyTicks, -ticks, seen) == seen)
            {
                break;
            }
        }
    }

    public static async Task<RunResult> RunAsync(BenchContext context)
    {
        var jobs = context.JobsOr(10_000);
        var concurrency = context.Options.Concurrency ?? 100;
        await using var store = await TaskQueueWorkloads.ConnectAsync(context);
        var client = new JobClient(store);
        DeliveryLedger.Reset(jobs);
        LatencyRecorder.Reset();
        s_early = 0;
        s_maxEarlyTicks = 0;
        using var stop = new CancellationTokenSource();
        var running = TaskQueueWorkloads.CreateWorker(store, Queue, concurrency).RunAsync(stop.Token);
        var enqueueSeconds = 0.0;

        // Let the worker reach its idle wait, so the burst meets a worker that is waiting, as in production.
        await Task.Delay(500);
        return await Workloads.MeasureAsync(context, () => jobs,
            async () =>
            {
                // One anchor pairs the wall clock (what RunAt and the store use) with the monotonic clock (what the
                // handler compares against), so lateness is not skewed by wall-clock steps during the run.
                var anchorWall = DateTimeOffset.UtcNow;
                var anchorTicks = Stopwatch.GetTimestamp();
                var dueWall = anchorWall + s_ahead;
                var dueTicks = anchorTicks + (long)(s_ahead.TotalSeconds * Stopwatch.Frequency);
                var options = new JobOptions { RunAt = dueWall };
                const int Batch = 100;
                for (var sent = 0; sent < jobs; sent += Batch)
                {
                    var batch = new JobRequest[Math.Min(Batch, jobs - sent)];
                    for (var i = 0; i < batch.Length; i++)
                    {
                        batch[i] = new JobRequest(Jobs.Due.Definition, Jobs.Due.Serialize(sent + i, dueTicks), options);
                    }

                    await client.EnqueueManyAsync(batch);
                }

                enqueueSeconds = Stopwatch.GetElapsedTime(anchorTicks).TotalSeconds;
                if (enqueueSeconds > s_ahead.TotalSeconds)
                {
                    Console.Error.WriteLine($"delayed-burst: enqueueing took {enqueueSeconds:0.000} s, longer than the {s_ahead.TotalSeconds} s ahead: early jobs were due before the last was sent");
                }

                if (!await DeliveryLedger.WaitForAsync(TimeSpan.FromMinutes(5)))
                {
                    Console.Error.WriteLine($"delayed-burst: only {DeliveryLedger.Processed} of {jobs} jobs ran within 5 minutes");
                }
            },
            async () =>
            {
                await stop.CancelAsync();
                await running;
                var stats = await store.GetQueueStatsAsync(Queue);
                var (missing, duplicates) = DeliveryLedger.Check();
                var unrecorded = (int)Math.Max(0, jobs - stats.ProcessedToday);
                if (stats.Pending != 0 || stats.Active != 0 || stats.Scheduled != 0 || unrecorded != 0)
                {
                    Console.Error.WriteLine($"delayed-burst: after stop pending={stats.Pending} scheduled={stats.Scheduled} active={stats.Active} processed={stats.ProcessedToday}");
                }

                return (Math.Max(missing, unrecorded), duplicates);
            },
            LatencyRecorder.Percentiles,
            () => string.Create(CultureInfo.InvariantCulture,
                $"enqueued in {enqueueSeconds * 1000:0} ms, due {s_ahead.TotalSeconds:0} s after the first enqueue; least late {LatencyRecorder.MinMs():0.000} ms; started before due: {s_early} (earliest {s_maxEarlyTicks * 1000.0 / Stopwatch.Frequency:0.000} ms)"));
    }
}
