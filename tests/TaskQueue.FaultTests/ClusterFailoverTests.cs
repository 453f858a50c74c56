using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using TaskQueue.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace TaskQueue.FaultTests;

/// <summary>
/// A master failover on a Redis Cluster of 3 masters and 3 replicas, under load: two producers enqueue into the drill
/// queue, one plainly and one in the durability mode (<see cref="RedisJobStoreOptions.EnqueueReplicas"/> = 1), while
/// two worker processes drain it. The queue's master is killed with <c>kill -9</c> and its replica promoted.
/// </summary>
/// <remarks>
/// Redis replicates asynchronously, so what a failover loses is what the master acknowledged and had not yet sent.
/// On one loopback machine that lag is well under a millisecond, so a plain kill rarely shows it; the test makes the
/// window measurable by stalling the replica (SIGSTOP, as a GC pause or a network hiccup would) for a second before
/// the kill. The durability mode's WAIT then cannot be confirmed, so its enqueues fail as "not confirmed by its
/// replicas" and are retried with the same ids, while plain enqueues are acknowledged and lost with the master.
/// </remarks>
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1000)]
    [InlineData(0)]
    public async Task Master_failover_loses_only_plain_enqueues_from_the_replication_window_and_none_in_durability_mode(int replicaStallMs)
    {
        var replicaStall = TimeSpan.FromMilliseconds(replicaStallMs);
        await using var drill = await FaultDrill.StartOnClusterAsync(output, await RedisCluster.StartAsync());
        var cluster = drill.Cluster!;
        var master = await cluster.MasterOfAsync(FaultDrill.QueueKey);
        var replica = await cluster.ReplicaOfAsync(master.Port);
        output.WriteLine($"queue {FaultDrill.QueueKey} on master {master.EndPoint} (pid {master.ProcessId}), replica {replica.EndPoint}");
        await drill.StartWorkerAsync(concurrency: 8);
        await drill.StartWorkerAsync(concurrency: 8);
        await using var durableStore = await drill.ConnectStoreAsync(o =>
        {
            o.EnqueueReplicas = 1;
            o.EnqueueReplicaTimeout = TimeSpan.FromMilliseconds(500);
        });

        using var stop = new CancellationTokenSource();
        var plain = new Producer("plain", drill, drill.Store);
        var durable = new Producer("durable (EnqueueReplicas = 1)", drill, durableStore);
        var producers = Task.WhenAll(plain.RunAsync(stop.Token), durable.RunAsync(stop.Token));

        await Task.Delay(TimeSpan.FromSeconds(2));
        var inFlight = await drill.RunningAsync();
        var faultStart = drill.Ledger.Now;
        if (replicaStall > TimeSpan.Zero)
        {
            replica.Suspend();
        }

        var stalledAt = DateTimeOffset.UtcNow;
        await Task.Delay(replicaStall);
        master.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        if (replicaStall > TimeSpan.Zero)
        {
            replica.Resume();
        }

        // The replica is promoted once the other masters agree the master failed (node timeout, then an election).
        var promotedAfter = await cluster.WaitForPromotionAsync(replica, TimeSpan.FromSeconds(45));
        await master.RestartAsync(); // it rejoins as the new master's replica
        drill.ServerFault($"kill -9 of the queue's master, its replica stalled {replicaStall.TotalSeconds:0.#} s before; promoted {promotedAfter.TotalSeconds:0.0} s after the kill", faultStart, inFlight);
        inFlight.UnionWith(await drill.RunningAsync());

        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await producers.WaitAsync(TimeSpan.FromSeconds(60));
        await cluster.WaitUntilSettledAsync();
        var acknowledgedAfterFailover = plain.AckedAfter(killedAt + promotedAfter).Concat(durable.AckedAfter(killedAt + promotedAfter)).ToList();

        await drill.WaitUntilDrainedAsync(TimeSpan.FromSeconds(90), everyJobRuns: false);
        var summary = await drill.CheckAsync(
            $"cluster master failover; 2 workers (concurrency 8); producers: plain {plain.Acked.Count} jobs, durable {durable.Acked.Count} jobs");

        var lost = summary.Lost.ToHashSet(StringComparer.Ordinal);
        var plainLost = plain.Acked.Where(a => lost.Contains(a.Key)).ToList();
        var firstLostAck = plainLost.Count == 0 ? (DateTimeOffset?)null : plainLost.Min(a => a.Value);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            plain enqueues:   {plain.Acked.Count} acknowledged, {plainLost.Count} lost with the master; the loss reaches back {(killedAt - firstLostAck)?.TotalMilliseconds ?? 0:0} ms before the kill (replica stalled {(killedAt - stalledAt).TotalMilliseconds:0} ms before it; 0 = not stalled)
            durable enqueues: {durable.Acked.Count} acknowledged, {durable.Acked.Keys.Count(lost.Contains)} lost; {durable.NotConfirmed} calls failed as not confirmed by a replica and {durable.Failed} otherwise, all retried with the same ids
            plain calls failed {plain.Failed} times; replica promoted {promotedAfter.TotalSeconds:0.0} s after the kill; first acknowledged enqueue after the kill: plain +{plain.FirstAckAfter(killedAt)?.TotalSeconds:0.0} s, durable +{durable.FirstAckAfter(killedAt)?.TotalSeconds:0.0} s
            """));

        // The promise of the durability mode: an acknowledged enqueue survives the failover.
        Assert.DoesNotContain(durable.Acked.Keys, lost.Contains);

        // Without it, the loss is confined to what the master acknowledged while its replica lagged (or, with no
        // stall, in the last moment before the kill).
        Assert.All(plainLost, a => Assert.True(a.Value >= stalledAt - TimeSpan.FromMilliseconds(100), $"job {a.Key} acknowledged at {a.Value:O}, more than 100 ms before the replica stalled (or the kill) at {stalledAt:O}, was lost"));
        Assert.Equal(summary.Lost.Count, plainLost.Count);
        if (replicaStall > TimeSpan.Zero)
        {
            Assert.True(durable.NotConfirmed > 0, "the stalled replica should have refused to confirm some durable enqueues");
            Assert.True(plainLost.Count > 0, "a master acknowledging writes its stalled replica never got should lose them at the failover");
        }

        // Everything acknowledged after the failover ran; nothing ran twice unless in flight during the fault.
        Assert.DoesNotContain(acknowledgedAfterFailover, lost.Contains);
        Assert.Equal(0, summary.ForeignRuns);
        Assert.True(summary.UnexplainedDuplicates.Count == 0, $"jobs ran twice without being in flight at the fault:\n{summary}");
        Assert.True(summary.Faults[0].Recovery < TimeSpan.FromSeconds(30), $"no recovery within 30 s:\n{summary}");
    }

    /// <summary>
    /// Enqueues batches of 10 drill jobs through one store until stopped, retrying a failed batch with the same ids, and
    /// records when each id was acknowledged.
    /// </summary>
    private sealed class Producer(string name, FaultDrill drill, RedisJobStore store)
    {
        public ConcurrentDictionary<string, DateTimeOffset> Acked { get; } = new(StringComparer.Ordinal);

        public int NotConfirmed { get; private set; }

        public int Failed { get; private set; }

        public IEnumerable<string> AckedAfter(DateTimeOffset instant) => Acked.Where(a => a.Value > instant).Select(a => a.Key);

        public TimeSpan? FirstAckAfter(DateTimeOffset instant)
            => Acked.Values.Where(v => v > instant).Select(v => (TimeSpan?)(v - instant)).Min();

        public async Task RunAsync(CancellationToken stop)
        {
            for (var batch = 0; batch < 2000 && !stop.IsCancellationRequested; batch++)
            {
                var jobs = FaultDrill.NewJobs(10, milliseconds: 5);
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await store.EnqueueManyAsync(jobs);
                        break;
                    }
                    catch (RedisJobStoreException ex) when (attempt < 300)
                    {
                        if (ex.Message.Contains("not confirmed by its replicas", StringComparison.Ordinal))
                        {
                            NotConfirmed++;
                        }
                        else
                        {
                            Failed++;
                        }

                        await Task.Delay(100, CancellationToken.None);
                    }
                }

                var now = DateTimeOffset.UtcNow;
                foreach (var job in jobs)
                {
                    Acked[job.Id.Value] = now;
                }

                drill.Ledger.Enqueued(jobs);
                await Task.Delay(20, CancellationToken.None);
            }
        }

        public override string ToString() => name;
    }
}
