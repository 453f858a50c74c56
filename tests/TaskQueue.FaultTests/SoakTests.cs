using System.Globalization;
using Xunit.Abstractions;

namespace TaskQueue.FaultTests;

/// <summary>
/// Many jobs, 4 worker processes, a <c>kill -9</c> every few seconds and one redis-server restart (appendfsync always),
/// then the ledger and the throughput over time. 50k jobs in CI; the 1M soak only with <c>TASKQUEUE_SOAK=1</c>.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Workers = 4;
    private const int Concurrency = 16;

    [Fact]
    public Task Soak_of_50k_jobs_with_kills_and_a_redis_restart_loses_nothing()
        => SoakAsync(50_000, killEvery: TimeSpan.FromSeconds(3), timeout: TimeSpan.FromSeconds(150));

    /// <summary><c>TASKQUEUE_SOAK_JOBS</c> overrides the count (default 1,000,000).</summary>
    [SoakFact]
    [Trait("Category", "Soak")]
    public Task Soak_of_1M_jobs_with_kills_and_a_redis_restart_loses_nothing()
        => SoakAsync(
            int.Parse(Environment.GetEnvironmentVariable("TASKQUEUE_SOAK_JOBS") ?? "1000000", CultureInfo.InvariantCulture),
            killEvery: TimeSpan.FromSeconds(5),
            timeout: TimeSpan.FromMinutes(40));

    private async Task SoakAsync(int jobs, TimeSpan killEvery, TimeSpan timeout)
    {
        await using var drill = await FaultDrill.StartAsync(output, "--appendonly", "yes", "--appendfsync", "always");
        drill.RecoveryTimeout = timeout;
        for (var i = 0; i < Workers; i++)
        {
            await drill.StartWorkerAsync(Concurrency);
        }

        // Enqueued while the workers run and the faults happen, as a real producer would.
        var producer = Task.Run(() => drill.EnqueueAsync(jobs, milliseconds: 0, batchSize: 1000));
        var random = new Random(jobs);
        var deadline = DateTime.UtcNow + timeout;
        var restarted = false;
        var kills = 0;
        while (!await DrainedAsync(drill, producer, jobs) && DateTime.UtcNow < deadline && kills < 1000)
        {
            await Task.Delay(killEvery);
            if (!restarted && drill.Ledger.EnqueuedCount >= jobs / 2)
            {
                restarted = true;
                var inFlight = await drill.RunningAsync();
                var started = drill.Ledger.Now;
                drill.StoreServer.Kill();
                await drill.StoreServer.RestartAsync();
                drill.ServerFault("redis-server kill -9 and restart (appendfsync always)", started, inFlight);
                continue;
            }

            var alive = drill.Workers.Where(w => !w.HasExited).ToList();
            await drill.KillAsync(alive[random.Next(alive.Count)]);
            kills++;
            await drill.StartWorkerAsync(Concurrency);
        }

        await producer.WaitAsync(TimeSpan.FromMinutes(5));
        await drill.WaitUntilDrainedAsync(deadline - DateTime.UtcNow + TimeSpan.FromSeconds(30));
        var summary = await drill.CheckAsync(string.Create(CultureInfo.InvariantCulture, $"soak: {jobs} jobs, {Workers} workers (concurrency {Concurrency}, lease 3 s), kill -9 every {killEvery.TotalSeconds:0} s, one redis-server restart"));
        output.WriteLine(await Ledger.ThroughputAsync(drill.LedgerConnection.GetDatabase(), bucketSeconds: Math.Max(1, jobs / 50_000)));

        summary.AssertNothingLostAndOnlyInFlightJobsRanTwice();
        Assert.True(restarted, "the soak ended before its redis-server restart");
        Assert.True(kills > 0);
    }

    private static async Task<bool> DrainedAsync(FaultDrill drill, Task producer, int jobs)
    {
        if (!producer.IsCompleted)
        {
            return false;
        }

        try
        {
            var stats = await drill.Store.GetQueueStatsAsync(FaultDrill.Queue);
            return drill.Ledger.EnqueuedCount >= jobs && stats.Pending + stats.Scheduled + stats.Retrying + stats.Active == 0;
        }
        catch (TaskQueue.Redis.RedisJobStoreException)
        {
            return false;
        }
    }
}
