using Hangfire;
using Hangfire.Redis.StackExchange;
using StackExchange.Redis;

namespace TaskQueue.Benchmarks;

/// <summary>The Hangfire peer: Hangfire.Core + Hangfire.Redis.StackExchange on the same redis-server, dashboard off.</summary>
internal static class HangfireWorkloads
{
    private const string Prefix = "{hangfire}:";

    public static Task<RunResult> AddSerialAsync(BenchContext context) => AddAsync(context, context.JobsOr(5_000), (client, jobs) =>
    {
        for (var i = 0; i < jobs; i++)
        {
            client.Enqueue(() => HangfireJobs.Noop(i));
        }

        return Task.CompletedTask;
    });

    public static Task<RunResult> AddConcurrentAsync(BenchContext context) => AddAsync(context, context.JobsOr(10_000), (client, jobs) =>
    {
        // Hangfire's client is synchronous: 64 threads in flight.
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, context.Options.Concurrency ?? 64).Select(_ => Task.Factory.StartNew(() =>
        {
            for (var i = Interlocked.Increment(ref next); i < jobs; i = Interlocked.Increment(ref next))
            {
                var sequence = i;
                client.Enqueue(() => HangfireJobs.Noop(sequence));
            }
        }, TaskCreationOptions.LongRunning)));
    });

    /// <summary>Hangfire has no bulk enqueue: batches of 100 are loops of single enqueues.</summary>
    public static Task<RunResult> AddBulkAsync(BenchContext context) => AddAsync(context, context.JobsOr(5_000), (client, jobs) =>
    {
        for (var sent = 0; sent < jobs; sent += 100)
        {
            for (var i = sent; i < Math.Min(jobs, sent + 100); i++)
            {
                client.Enqueue(() => HangfireJobs.Noop(i));
            }
        }

        return Task.CompletedTask;
    });

    public static async Task<RunResult> DrainAsync(BenchContext context)
    {
        var jobs = context.JobsOr(5_000);
        var concurrency = context.Options.Concurrency ?? 100;
        using var connection = await ConnectionMultiplexer.ConnectAsync(context.Server.Endpoint);
        var storage = Storage(connection);
        var client = new BackgroundJobClient(storage);
        for (var i = 0; i < jobs; i++)
        {
            client.Enqueue(() => HangfireJobs.Noop(i));
        }

        DeliveryLedger.Reset(jobs);
        BackgroundJobServer? server = null;
        return await Workloads.MeasureAsync(context, jobs,
            async () =>
            {
                server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = concurrency, Queues = ["default"] }, storage);
                if (!await DeliveryLedger.WaitForAsync(TimeSpan.FromMinutes(5)))
                {
                    Console.Error.WriteLine($"hangfire-drain: only {DeliveryLedger.Processed} of {jobs} jobs ran within 5 minutes");
                }
            },
            () =>
            {
                server!.SendStop();
                server.Dispose();
                return Task.FromResult(DeliveryLedger.Check());
            });
    }

    private static RedisStorage Storage(IConnectionMultiplexer connection)
        => new(connection, new RedisStorageOptions { Prefix = Prefix });

    private static async Task<RunResult> AddAsync(BenchContext context, int jobs, Func<BackgroundJobClient, int, Task> enqueue)
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(context.Server.Endpoint);
        var client = new BackgroundJobClient(Storage(connection));
        return await Workloads.MeasureAsync(context, jobs, () => enqueue(client, jobs), async () =>
        {
            var queued = await connection.GetDatabase().ListLengthAsync(Prefix + "queue:default");
            return ((int)Math.Max(0, jobs - queued), (int)Math.Max(0, queued - jobs));
        });
    }
}

/// <summary>The Hangfire job (Hangfire stores the method and arguments; no generated code).</summary>
public static class HangfireJobs
{
    /// <summary>Records the sequence number for the exact-delivery check.</summary>
    public static void Noop(int sequence) => DeliveryLedger.Record(sequence);
}
