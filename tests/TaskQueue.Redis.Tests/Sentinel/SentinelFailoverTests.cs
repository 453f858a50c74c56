using System.Diagnostics;
using StackExchange.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace TaskQueue.Redis.Tests.Sentinel;

/// <summary>
/// A store connected through Redis Sentinel while the sentinels fail the master over to the replica (the master
/// killed with SIGKILL), and while the old master comes back and rejoins as a replica.
/// </summary>
public sealed class SentinelFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Down-after (1 s) + election + promotion take 2-3 s; generous for a loaded 2-core machine.</summary>
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(30);

    /// <summary>Well below the 60 s safety-net wait: only the work signal wakes the waiter this soon.</summary>
    private static readonly TimeSpan SignalPickup = TimeSpan.FromSeconds(5);

    private RedisSentinelTopology _topology = null!;

    public async Task InitializeAsync() => _topology = await RedisSentinelTopology.StartAsync(replicas: 1);

    public async Task DisposeAsync() => await _topology.DisposeAsync();

    [Fact]
    public async Task Store_follows_the_failover_to_the_promoted_replica_and_back_through_the_old_masters_rejoin()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await using var store = await RedisJobStore.ConnectAsync($"{_topology.ConnectionString},keyPrefix={RedisServerFixture.NewKeyPrefix()}", timeout.Token);
        var before = TestJobs.New();
        await store.EnqueueAsync(before);
        await WaitUntilReplicatedAsync(before.Id, store);

        var clock = Stopwatch.StartNew();
        var old = await _topology.KillMasterAsync();
        var master = await _topology.WaitForFailoverAsync(old, FailoverBound);
        output.WriteLine($"sentinels promoted port {master.Port} {clock.Elapsed.TotalSeconds:0.00} s after the kill");

        // The first enqueue after the failover may still find the old connection: re-sent with the same id until acknowledged.
        var after = TestJobs.New();
        await EnqueueUntilAcknowledgedAsync(store, after);
        output.WriteLine($"first acknowledged enqueue {clock.Elapsed.TotalSeconds:0.00} s after the kill");

        var leased = await store.FetchAsync(new FetchRequest(TestJobs.Queue, 10, TimeSpan.FromSeconds(30), "w"));
        Assert.Equal(new[] { before.Id, after.Id }.Order(), leased.Select(j => j.Id).Order());

        var status = await store.GetStatusAsync();
        Assert.Contains(status.Servers, s => s.Endpoint == master.EndPoint && s.Role == "primary" && s.Connected);

        // The scripts are on the new master (loaded while it was a replica, or after the switch): EVALSHA, not EVAL.
        await using (var direct = await ConnectionMultiplexer.ConnectAsync(master.EndPoint))
        {
            var exists = await direct.GetServer(master.EndPoint).ScriptExistsAsync(RedisScripts.Fetch);
            Assert.True(exists, "the fetch script is loaded on the new master");
        }

        // An idle waiter on the new master is woken by the work signal (pub/sub followed the master), not by its 60 s poll.
        await WaiterIsWokenBySignalAsync(store);

        // The old master is restarted as a replica of the new one (README: restarted as a master, it would take writes
        // until the sentinels convert it, and lose them): nothing the store writes meanwhile may go astray.
        var written = new List<NewJob>();
        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!stopWriting.IsCancellationRequested && written.Count < 2000)
            {
                var job = TestJobs.New();
                await EnqueueUntilAcknowledgedAsync(store, job);
                written.Add(job);
                await Task.Delay(20);
            }
        });
        await _topology.RestartAsync(old, TimeSpan.FromSeconds(40));
        output.WriteLine($"old master rejoined as a replica {clock.Elapsed.TotalSeconds:0.00} s after the kill");
        await Task.Delay(500);
        await stopWriting.CancelAsync();
        await writer.WaitAsync(TimeSpan.FromSeconds(30));

        var missing = new List<JobId>();
        foreach (var job in written)
        {
            if (await store.GetJobAsync(TestJobs.Queue, job.Id) is null)
            {
                missing.Add(job.Id);
            }
        }

        output.WriteLine($"{written.Count} jobs enqueued while the old master restarted and rejoined; {missing.Count} missing");
        Assert.Empty(missing);
        Assert.Equal(master, await _topology.MasterAsync());

        // StackExchange.Redis reconnects to the restarted node on its own schedule (a backoff of seconds).
        await Eventually.TrueAsync(
            async () => (await store.GetStatusAsync()).Servers.Any(s => s.Endpoint == old.EndPoint && s.Role == "replica" && s.Connected),
            "the status lists the old master as a connected replica",
            TimeSpan.FromSeconds(30));
    }

    private async Task WaiterIsWokenBySignalAsync(RedisJobStore store)
    {
        const string Queue = "signal";
        var waiting = store.WaitForWorkAsync([Queue], TimeSpan.FromSeconds(60)).AsTask();
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "the waiter waits while the queue is empty");
        var clock = Stopwatch.StartNew();
        await EnqueueUntilAcknowledgedAsync(store, TestJobs.New(queue: Queue));
        await waiting.WaitAsync(SignalPickup);
        output.WriteLine($"idle waiter woken {clock.Elapsed.TotalMilliseconds:0} ms after the enqueue");
    }

    private static async Task EnqueueUntilAcknowledgedAsync(RedisJobStore store, NewJob job)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await store.EnqueueAsync(job);
                return;
            }
            catch (RedisJobStoreException) when (clock.Elapsed < FailoverBound)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Waits until the replica has the job, so the kill tests the failover and not the replication lag.</summary>
    private async Task WaitUntilReplicatedAsync(JobId id, RedisJobStore store)
    {
        var master = await _topology.MasterAsync();
        var replica = _topology.DataNodes.Single(n => n != master);
        await using var direct = await ConnectionMultiplexer.ConnectAsync(replica.EndPoint);
        var key = $"{{{store.KeyPrefix}:{TestJobs.Queue}}}:job:{id}";
        await Eventually.TrueAsync(() => direct.GetDatabase().KeyExistsAsync(key), "the job reaches the replica");
    }
}
