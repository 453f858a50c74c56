using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TaskQueue.Client;
using TaskQueue.Generated;
using TaskQueue.Processing;
using TaskQueue.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Benchmarks;

/// <summary>TaskQueue through its public API: generated proxies to enqueue, the real <see cref="Worker"/> to drain.</summary>
internal static class TaskQueueWorkloads
{
    public const string Queue = "bench";
    private static readonly ServiceProvider s_services = new ServiceCollection().BuildServiceProvider();

    public static Task<RunResult> AddSerialAsync(BenchContext context) => AddAsync(context, context.JobsOr(20_000), async (client, jobs, ids) =>
    {
        for (var i = 0; i < jobs; i++)
        {
            ids[i] = await Jobs.Noop.EnqueueAsync(client, i);
        }
    });

    public static Task<RunResult> AddConcurrentAsync(BenchContext context) => AddAsync(context, context.JobsOr(50_000), (client, jobs, ids) =>
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, context.Options.Concurrency ?? 64).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < jobs; i = Interlocked.Increment(ref next))
            {
                ids[i] = await Jobs.Noop.EnqueueAsync(client, i);
            }
        }));
    });

    public static Task<RunResult> AddBulkAsync(BenchContext context) => AddAsync(context, context.JobsOr(200_000), async (client, jobs, ids) =>
    {
        const int Batch = 100;
        var requests = new JobRequest[Batch];
        for (var sent = 0; sent < jobs; sent += Batch)
        {
            var count = Math.Min(Batch, jobs - sent);
            var batch = count == Batch ? requests : new JobRequest[count];
            for (var i = 0; i < count; i++)
            {
                batch[i] = new JobRequest(Jobs.Noop.Definition, Jobs.Noop.Serialize(sent + i));
            }

            var created = await client.EnqueueManyAsync(batch);
            for (var i = 0; i < created.Count; i++)
            {
                ids[sent + i] = created[i];
            }
        }
    });

    /// <summary>Prefills the queue (not timed), then times the real worker from start until every job ran.</summary>
    public static async Task<RunResult> DrainAsync(BenchContext context)
    {
        var jobs = context.JobsOr(100_000);
        var concurrency = context.Options.Concurrency ?? 100;
        await using var store = await ConnectAsync(context);
        await PrefillAsync(store, jobs);
        DeliveryLedger.Reset(jobs);
        using var stop = new CancellationTokenSource();
        Task? running = null;
        return await Workloads.MeasureAsync(context, jobs,
            async () =>
            {
                var worker = CreateWorker(store, Queue, concurrency);
                running = worker.RunAsync(stop.Token);
                if (!await DeliveryLedger.WaitForAsync(TimeSpan.FromMinutes(5)))
                {
                    Console.Error.WriteLine($"drain: only {DeliveryLedger.Processed} of {jobs} jobs ran within 5 minutes");
                }
            },
            async () =>
            {
                // Stop (which writes every outcome), then give a late duplicate the chance to show.
                await stop.CancelAsync();
                await running!;
                var stats = await store.GetQueueStatsAsync(Queue);
                var (missing, duplicates) = DeliveryLedger.Check();
                var unrecorded = (int)Math.Max(0, jobs - stats.ProcessedToday);
                if (stats.Pending != 0 || stats.Active != 0 || unrecorded != 0)
                {
                    Console.Error.WriteLine($"drain: after stop pending={stats.Pending} active={stats.Active} processed={stats.ProcessedToday}");
                }

                return (Math.Max(missing, unrecorded), duplicates);
            });
    }

    public static Task<RedisJobStore> ConnectAsync(BenchContext context)
        => ConnectAsync(context.Server.Endpoint, context.Options.DedicatedIoThreads);

    /// <summary>The store as a user gets it from a connection string; <paramref name="dedicatedIoThreads"/> measures the non-default setting.</summary>
    public static Task<RedisJobStore> ConnectAsync(string endpoint, bool dedicatedIoThreads)
        => RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = endpoint, DedicatedIoThreads = dedicatedIoThreads });

    public static Worker CreateWorker(IJobStore store, string queue, int concurrency)
        => new(
            store,
            new JobDispatcher([new TaskQueueBenchmarksJobRegistry()]),
            s_services,
            new WorkerOptions { Queues = [queue], Concurrency = concurrency, ShutdownDrainTime = TimeSpan.FromSeconds(5) },
            TimeProvider.System,
            NullLogger<Worker>.Instance);

    /// <summary>Enqueues no-op jobs 0..<paramref name="jobs"/>-1 in bulk, <paramref name="batchSize"/> per call, one call in flight.</summary>
    public static async Task PrefillAsync(RedisJobStore store, int jobs, int batchSize = 500)
    {
        var client = new JobClient(store);
        for (var sent = 0; sent < jobs; sent += batchSize)
        {
            var batch = new JobRequest[Math.Min(batchSize, jobs - sent)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = new JobRequest(Jobs.Noop.Definition, Jobs.Noop.Serialize(sent + i));
            }

            await client.EnqueueManyAsync(batch);
        }
    }

    private static async Task<RunResult> AddAsync(BenchContext context, int jobs, Func<IJobClient, int, JobId[], Task> enqueue)
    {
        await using var store = await ConnectAsync(context);
        var client = new JobClient(store);
        var ids = new JobId[jobs];
        return await Workloads.MeasureAsync(context, jobs, () => enqueue(client, jobs, ids), async () =>
        {
            // Every id distinct, and exactly that many jobs waiting in the queue.
            var stats = await store.GetQueueStatsAsync(Queue);
            var distinct = ids.Distinct().Count(id => !id.IsEmpty);
            return ((int)Math.Max(0, jobs - Math.Min(distinct, stats.Pending)), (int)Math.Max(0, stats.Pending - jobs) + (jobs - distinct - ids.Count(id => id.IsEmpty)));
        });
    }
}
