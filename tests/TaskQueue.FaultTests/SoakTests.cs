using System.Globalization;
using TaskQueue.TestSupport;
using Xunit;
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

    /// <summary>
    /// The same on a Redis Cluster of 3 masters and 3 replicas, 6 queues spread over its slots, the producer in the
    /// durability mode (<c>EnqueueReplicas = 1</c>), and a master failover (kill -9, replica promoted, old master
    /// restarted as its replica) instead of the restart.
    /// </summary>
    [Fact]
    public async Task Soak_of_50k_jobs_on_a_cluster_with_kills_and_a_master_failover_loses_nothing()
    {
        await using var drill = await FaultDrill.StartOnClusterAsync(output, await RedisCluster.StartAsync(), queues: 6);
        var masters = new HashSet<int>();
        foreach (var queue in drill.Queues)
        {
            masters.Add((await drill.Cluster!.MasterOfAsync($"{{fd:{queue}}}")).Port);
        }

        output.WriteLine($"{drill.Queues.Count} queues on {masters.Count} masters");
        Assert.True(masters.Count > 1, "the drill queues should spread over several masters");
        await using var producer = await drill.ConnectStoreAsync(o => o.EnqueueReplicas = 1);
        await SoakAsync(drill, 50_000, killEvery: TimeSpan.FromSeconds(3), timeout: TimeSpan.FromSeconds(150), producer, "master failover", async () =>
        {
            var cluster = drill.Cluster!;
            var master = await cluster.MasterOfAsync($"{{fd:{FaultDrill.Queue}}}");
            var replica = await cluster.ReplicaOfAsync(master.Port);
            master.Kill();
            var promotedAfter = await cluster.WaitForPromotionAsync(replica, TimeSpan.FromSeconds(45));
            await master.RestartAsync();
            return string.Create(CultureInfo.InvariantCulture, $"kill -9 of master {master.EndPoint}, replica promoted after {promotedAfter.TotalSeconds:0.0} s, old master restarted as its replica");
        });
    }

    private async Task SoakAsync(int jobs, TimeSpan killEvery, TimeSpan timeout)
    {
        await using var drill = await FaultDrill.StartAsync(output, "--appendonly", "yes", "--appendfsync", "always");
        await SoakAsync(drill, jobs, killEvery, timeout, drill.Store, "redis-server restart", async () =>
        {
            drill.StoreServer.Kill();
            await drill.StoreServer.RestartAsync();
            return "redis-server kill -9 and restart (appendfsync always)";
        });
    }

    /// <summary>
    /// Runs the soak on <paramref name="drill"/>: workers, a producer through <paramref name="producerStore"/>, a worker
    /// kill every <paramref name="killEvery"/>, and <paramref name="serverFault"/> (which returns its description) once
    /// half the jobs are enqueued; then the ledger check.
    /// </summary>
    private async Task SoakAsync(FaultDrill drill, int jobs, TimeSpan killEvery, TimeSpan timeout, TaskQueue.Redis.RedisJobStore producerStore, string serverFaultName, Func<Task<string>> serverFault)
    {
        drill.RecoveryTimeout = timeout;
        for (var i = 0; i < Workers; i++)
        {
            await drill.StartWorkerAsync(Concurrency);
        }

        // Enqueued while the workers run and the faults happen, as a real producer would.
        var producer = Task.Run(() => drill.EnqueueAsync(jobs, milliseconds: 0, batchSize: 1000, producerStore));
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
                drill.ServerFault(await serverFault(), started, inFlight);
                continue;
            }

            var alive = drill.Workers.Where(w => !w.HasExited).ToList();
            await drill.KillAsync(alive[random.Next(alive.Count)]);
            kills++;
            await drill.StartWorkerAsync(Concurrency);
        }

        await producer.WaitAsync(TimeSpan.FromMinutes(5));
        await drill.WaitUntilDrainedAsync(deadline - DateTime.UtcNow + TimeSpan.FromSeconds(30));
        var summary = await drill.CheckAsync(string.Create(CultureInfo.InvariantCulture, $"soak: {jobs} jobs over {drill.Queues.Count} queue(s), {Workers} workers (concurrency {Concurrency}, lease 3 s), kill -9 every {killEvery.TotalSeconds:0} s, one {serverFaultName}"));
        output.WriteLine(await Ledger.ThroughputAsync(drill.LedgerConnection.GetDatabase(), bucketSeconds: Math.Max(1, jobs / 50_000)));

        summary.AssertNothingLostAndOnlyInFlightJobsRanTwice();
        Assert.True(restarted, $"the soak ended before its {serverFaultName}");
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
            return drill.Ledger.EnqueuedCount >= jobs && await drill.QueuesEmptyAsync();
        }
        catch (TaskQueue.Redis.RedisJobStoreException)
        {
            return false;
        }
    }
}
