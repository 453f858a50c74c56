using System.Diagnostics;
using StackExchange.Redis;

namespace TaskQueue.Benchmarks;

/// <summary>
/// The floor under <c>idle-start</c>: the same wake-up chain with no TaskQueue code in it. After each idle
/// period one connection publishes a stamp; the subscriber's callback makes one round trip on a second
/// connection (as a worker's fetch would) and records now − stamp. Whatever this costs on a machine,
/// idle-start cannot beat it there.
/// </summary>
internal static class IdleBaselineWorkload
{
    private const string Channel = "bench:idle-baseline";

    public static async Task<RunResult> RunAsync(BenchContext context)
    {
        var jobs = context.JobsOr(10);
        var idle = TimeSpan.FromSeconds(context.Options.Seconds);
        await using var publisher = await ConnectAsync(context);
        await using var worker = await ConnectAsync(context);
        var database = worker.GetDatabase();
        DeliveryLedger.Reset(jobs);
        LatencyRecorder.Reset();

        await worker.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel), (_, message) => OnMessage(database, message));
        await database.PingAsync();
        await publisher.GetDatabase().PingAsync();

        return await Workloads.MeasureAsync(context, jobs,
            async () =>
            {
                for (var i = 0; i < jobs; i++)
                {
                    await Task.Delay(idle);
                    await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), i + ":" + Stopwatch.GetTimestamp());
                }

                await DeliveryLedger.WaitForAsync(TimeSpan.FromSeconds(10));
            },
            () => Task.FromResult(DeliveryLedger.Check()),
            LatencyRecorder.Percentiles);
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(BenchContext context)
    {
        var configuration = ConfigurationOptions.Parse(context.Server.Endpoint);
        if (!context.Options.DedicatedIoThreads)
        {
            configuration.SocketManager = SocketManager.ThreadPool; // as the store connects by default
        }

        return ConnectionMultiplexer.ConnectAsync(configuration);
    }

    private static void OnMessage(IDatabase database, RedisValue message) => _ = OnMessageAsync(database, message);

    private static async Task OnMessageAsync(IDatabase database, RedisValue message)
    {
        var text = message.ToString();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var sequence = int.Parse(text.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture);
        var stamp = long.Parse(text.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
        await database.PingAsync().ConfigureAwait(false);
        LatencyRecorder.Record(Stopwatch.GetTimestamp() - stamp);
        DeliveryLedger.Record(sequence);
    }
}
