using System.Diagnostics;
using System.Globalization;
using TaskQueue.Client;
using TaskQueue.Generated;

namespace TaskQueue.Benchmarks;

/// <summary>
/// Steady state: a producer (batches of 100 as fast as it can, or paced at <c>--rate</c>) and the real worker run together
/// for <c>--seconds</c> (default 30). Measured: jobs completed in that window per second, the queue depth when it ends;
/// then the backlog is drained (not timed) and every job enqueued must have run exactly once.
/// </summary>
internal static class SteadyStateWorkload
{
    /// <summary>Room in the ledger: far more than two cores can enqueue in a window (checked, the producer stops there).</summary>
    private const int MaxJobs = 8_000_000;
    private const int Batch = 100;

    public static async Task<RunResult> RunAsync(BenchContext context)
    {
        var window = TimeSpan.FromSeconds(context.Options.SecondsOption ?? 30);
        var concurrency = context.Options.Concurrency ?? 100;
        int? rate = context.Options.RateGiven ? context.Options.Rate : null;
        await using var store = await TaskQueueWorkloads.ConnectAsync(context);
        var client = new JobClient(store);
        DeliveryLedger.Reset(MaxJobs);
        DeliveryLedger.Expect(int.MaxValue);
        using var stop = new CancellationTokenSource();
        using var windowEnded = new CancellationTokenSource();
        Task? running = null;
        var produced = 0;
        var completedInWindow = 0;
        long depthAtEnd = 0;
        return await Workloads.MeasureAsync(context, () => completedInWindow,
            async () =>
            {
                running = TaskQueueWorkloads.CreateWorker(store, TaskQueueWorkloads.Queue, concurrency).RunAsync(stop.Token);
                windowEnded.CancelAfter(window);
                var producing = ProduceAsync(client, rate, windowEnded.Token, count => Volatile.Write(ref produced, count));
                await Task.Delay(window);
                completedInWindow = DeliveryLedger.Processed;
                depthAtEnd = (await store.GetQueueStatsAsync(TaskQueueWorkloads.Queue)).Pending;
                await producing;
            },
            async () =>
            {
                // Drain what is left (untimed, bounded), stop the worker, then check every job enqueued ran once.
                DeliveryLedger.Expect(produced);
                if (!await DeliveryLedger.WaitForAsync(TimeSpan.FromMinutes(5)))
                {
                    Console.Error.WriteLine($"steady: only {DeliveryLedger.Processed} of {produced} jobs ran within 5 minutes of the window's end");
                }

                await stop.CancelAsync();
                await running!;
                var stats = await store.GetQueueStatsAsync(TaskQueueWorkloads.Queue);
                var (missing, duplicates) = DeliveryLedger.Check();
                var unrecorded = (int)Math.Max(0, produced - stats.ProcessedToday);
                if (stats.Pending != 0 || stats.Active != 0 || unrecorded != 0)
                {
                    Console.Error.WriteLine($"steady: after drain pending={stats.Pending} active={stats.Active} processed={stats.ProcessedToday} of {produced}");
                }

                return (Math.Max(missing, unrecorded), duplicates + (int)Math.Max(0, stats.ProcessedToday - produced));
            },
            note: () => string.Create(CultureInfo.InvariantCulture,
                $"enqueued {produced} in the window ({produced / window.TotalSeconds:0}/s{(rate is { } r ? $", paced at {r}/s" : ", as fast as possible")}); queue depth at the window's end {depthAtEnd}"));
    }

    /// <summary>Enqueues batches until <paramref name="token"/> fires; with a rate, batch k waits until its first job is due.</summary>
    private static async Task ProduceAsync(JobClient client, int? rate, CancellationToken token, Action<int> reportProduced)
    {
        var batchSize = rate is { } r ? Math.Clamp(r / 100, 1, Batch) : Batch;
        var requests = new JobRequest[batchSize];
        var sent = 0;
        var start = Stopwatch.GetTimestamp();
        while (!token.IsCancellationRequested && sent + batchSize <= MaxJobs)
        {
            if (rate is { } perSecond)
            {
                var due = TimeSpan.FromSeconds(sent / (double)perSecond) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(due, token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }

            for (var i = 0; i < batchSize; i++)
            {
                requests[i] = new JobRequest(Jobs.Noop.Definition, Jobs.Noop.Serialize(sent + i));
            }

            // Not cancelled mid-call: a batch either is enqueued and counted, or not sent.
            await client.EnqueueManyAsync(requests, CancellationToken.None);
            sent += batchSize;
            reportProduced(sent);
        }
    }
}
