using System.Diagnostics;
using System.Globalization;
using TaskQueue.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit.Abstractions;

namespace TaskQueue.FaultTests;

/// <summary>
/// The Sentinel-managed master killed with SIGKILL while a producer enqueues a steady stream through the sentinels and
/// worker processes (also connected through the sentinels) run the jobs; the sentinels promote the replica, the old
/// master is restarted as a replica of the new one. Replication is asynchronous, so jobs acknowledged just before the
/// kill may be lost: the drill counts them and measures how long before the kill they were acknowledged.
/// </summary>
public sealed class SentinelFailoverTests(ITestOutputHelper output)
{
    /// <summary>What the store promises for recovery: the producer and the workers are back by themselves within this.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The replication window allowed: a lost job must have been acknowledged at most this long before the kill.
    /// A replica on loopback lags by milliseconds; a second leaves room for a loaded machine.
    /// </summary>
    private static readonly TimeSpan ReplicationWindow = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Master_kill_9_fails_over_and_loses_at_most_jobs_acknowledged_in_the_last_second_before_the_kill()
    {
        var result = await RunAsync(new FailoverVariant("asynchronous replication (default enqueue)", ConfigureProducer: null));

        // Only what replication had not yet sent can be lost: acknowledged within the window before the kill, never after.
        Assert.All(result.LostAcknowledgedBeforeKill, age => Assert.True(age >= TimeSpan.Zero && age <= ReplicationWindow, $"a lost job was acknowledged {age.TotalMilliseconds:0} ms before the kill:\n{result.Summary}"));
        Assert.Equal(result.Summary.Enqueued, result.Summary.Completed + result.Summary.Lost.Count);
        Assert.Equal(result.Summary.Completed, result.Summary.SuccessesRecorded);
        Assert.Equal(0, result.Summary.ForeignRuns);
        AssertRerunsStayedAtLeastOnce(result.Summary);
        Assert.True(result.FirstCompletionAfterKill < RecoveryBound, $"workers recorded no success on the new master within {RecoveryBound}:\n{result.Summary}");
        Assert.True(result.FirstAcknowledgedEnqueueAfterKill < RecoveryBound, $"the producer had no enqueue acknowledged within {RecoveryBound}");
    }

    [Fact]
    public async Task Master_kill_9_in_the_durability_mode_loses_no_acknowledged_enqueue()
    {
        var result = await RunAsync(new FailoverVariant("enqueue waits for a replica (EnqueueReplicas = 1)", o =>
        {
            o.EnqueueReplicas = 1;
            o.EnqueueReplicaTimeout = TimeSpan.FromMilliseconds(500);
        }));

        // Every acknowledged enqueue was on the replica that the sentinels promoted.
        Assert.True(result.Summary.Lost.Count == 0, $"acknowledged enqueues were lost in the durability mode:\n{result.Summary}");
        Assert.Equal(result.Summary.Enqueued, result.Summary.Completed);
        Assert.Equal(result.Summary.Completed, result.Summary.SuccessesRecorded);
        Assert.Equal(0, result.Summary.ForeignRuns);
        AssertRerunsStayedAtLeastOnce(result.Summary);
        Assert.True(result.FirstCompletionAfterKill < RecoveryBound, $"workers recorded no success on the new master within {RecoveryBound}:\n{result.Summary}");

        // The new master has no replica until the old one rejoins: durable enqueues wait for that.
        Assert.True(result.FirstAcknowledgedEnqueueAfterKill < RecoveryBound * 2, $"the producer had no enqueue acknowledged within {RecoveryBound * 2}");
    }

    /// <summary>
    /// Jobs may run again after a Sentinel failover beyond those in flight at the kill. Seen in 2 of about 10 runs: up
    /// to 8 jobs acknowledged around the failover whose first run finished 4-7 s after it, while the worker logs showed
    /// completions refused with READONLY (a client still writing to the old master, back as a replica) until a lease
    /// expired. Not explained yet (docs/reliability.md). That is still at-least-once, and what the ledger must show is
    /// that no success was recorded twice.
    /// </summary>
    private static void AssertRerunsStayedAtLeastOnce(LedgerSummary summary)
    {
        Assert.Equal(summary.Completed, summary.SuccessesRecorded);
        Assert.True(summary.Duplicates.Count <= 32, $"more reruns than a failover explains:\n{summary}");
    }

    /// <summary>
    /// One failover drill: 2 workers (concurrency 8, lease 3 s) on 20 ms jobs, a producer enqueuing batches of 10 every
    /// 50 ms (each re-sent with the same ids until acknowledged), the master killed 3 s in, the old master restarted as a
    /// replica once the sentinels promoted the other, the producer stopped 6 s after the failover.
    /// </summary>
    private async Task<FailoverResult> RunAsync(FailoverVariant variant)
    {
        await using var drill = await FaultDrill.StartWithSentinelAsync(output, replicas: 1);
        var sentinel = drill.Sentinel!;
        for (var i = 0; i < 2; i++)
        {
            await drill.StartWorkerAsync(concurrency: 8);
        }

        var producerOptions = new RedisJobStoreOptions { ConnectionString = drill.StoreConnection };
        variant.ConfigureProducer?.Invoke(producerOptions);
        using var connectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await using var producerStore = await RedisJobStore.ConnectAsync(producerOptions, connectTimeout.Token);
        var producer = new SteadyProducer(producerStore, drill.Ledger);
        using var stopProducing = new CancellationTokenSource();
        var producing = producer.RunAsync(stopProducing.Token);

        await Task.Delay(TimeSpan.FromSeconds(3));
        var inFlight = await drill.RunningAsync();
        var old = await sentinel.MasterAsync();
        var started = drill.Ledger.Now;
        old.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        var sinceKill = Stopwatch.StartNew();
        producer.MarkKill(sinceKill);
        var master = await sentinel.WaitForFailoverAsync(old, RecoveryBound);
        var failover = sinceKill.Elapsed;

        // The fault lasts until the old master is back as a replica: clients that reconnect to it meanwhile get
        // READONLY for their writes (completions included) until they re-read the roles.
        await sentinel.RestartAsync(old, TimeSpan.FromSeconds(30));
        var rejoined = sinceKill.Elapsed;

        // Recovery: from here until the workers record a success on the new master.
        var fault = drill.ServerFault($"master kill -9 (port {old.Port}), sentinels promote port {master.Port} after {failover.TotalSeconds:0.00} s, old master back as a replica after {rejoined.TotalSeconds:0.00} s", started, inFlight);
        inFlight.UnionWith(await drill.RunningAsync()); // leases the new master still shows: their jobs may run again
        await Task.Delay(TimeSpan.FromSeconds(6) - (rejoined - failover) is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        await stopProducing.CancelAsync();
        await producing.WaitAsync(RecoveryBound * 2);

        await drill.WaitUntilDrainedAsync(TimeSpan.FromSeconds(60), everyJobRuns: false);
        var summary = await drill.CheckAsync($"Sentinel failover, {variant.Name}; 1 master + 1 replica, 3 sentinels; 2 workers (concurrency 8), {drill.Ledger.EnqueuedCount} jobs of 20 ms");
        await fault.Tracking;
        var ages = summary.Lost.Select(id => killedAt - drill.Ledger.AcknowledgedAt(id)!.Value).Order().ToList();
        var result = new FailoverResult(summary, ages, rejoined + (fault.Recovery ?? RecoveryBound), producer.FirstAcknowledgedAfterKill ?? RecoveryBound);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"failover   sentinels promoted the replica {failover.TotalSeconds:0.00} s after the kill; old master rejoined as a replica at {rejoined.TotalSeconds:0.00} s"));
        output.WriteLine(string.Create(inv, $"recovery   first success recorded on the new master {result.FirstCompletionAfterKill.TotalSeconds:0.00} s after the kill; producer's first acknowledged enqueue {result.FirstAcknowledgedEnqueueAfterKill.TotalSeconds:0.00} s after it ({producer.FailedCalls} failed calls re-sent)"));
        output.WriteLine(string.Create(inv, $"lost       {summary.Lost.Count} acknowledged jobs ({drill.Ledger.EnqueuedWithin(ReplicationWindow, killedAt).Count} were acknowledged in the last {ReplicationWindow.TotalSeconds:0} s before the kill)")
            + (ages.Count == 0 ? string.Empty : string.Create(inv, $"; acknowledged {ages[0].TotalMilliseconds:0}-{ages[^1].TotalMilliseconds:0} ms before the kill")));
        return result;
    }

    /// <summary>
    /// What varies between failover drills: the producer's store settings (a later variant may make enqueue wait for a
    /// replica, and then promise to lose nothing).
    /// </summary>
    private sealed record FailoverVariant(string Name, Action<RedisJobStoreOptions>? ConfigureProducer);

    /// <summary>
    /// The ledger check, how long before the kill each lost job had been acknowledged (oldest last), and the recovery
    /// times from the kill.
    /// </summary>
    private sealed record FailoverResult(LedgerSummary Summary, IReadOnlyList<TimeSpan> LostAcknowledgedBeforeKill, TimeSpan FirstCompletionAfterKill, TimeSpan FirstAcknowledgedEnqueueAfterKill);

    /// <summary>
    /// Enqueues batches of 10 jobs every 50 ms; a failed call is re-sent with the same jobs (same ids: stored once)
    /// until acknowledged, then the ids go to the ledger with the acknowledgement's time.
    /// </summary>
    private sealed class SteadyProducer(RedisJobStore store, Ledger ledger)
    {
        private Stopwatch? _sinceKill;

        public int FailedCalls { get; private set; }

        /// <summary>From the kill to the first acknowledgement of a call made after it.</summary>
        public TimeSpan? FirstAcknowledgedAfterKill { get; private set; }

        public void MarkKill(Stopwatch sinceKill) => Volatile.Write(ref _sinceKill, sinceKill);

        public async Task RunAsync(CancellationToken stop)
        {
            for (var batch = 0; batch < 1000 && !stop.IsCancellationRequested; batch++)
            {
                var jobs = FaultDrill.NewJobs(10, milliseconds: 20);
                var sinceKill = Volatile.Read(ref _sinceKill);
                var sentAfterKill = sinceKill is not null;
                var deadline = Stopwatch.StartNew();
                while (true)
                {
                    try
                    {
                        await store.EnqueueManyAsync(jobs);
                        break;
                    }
                    catch (RedisJobStoreException) when (deadline.Elapsed < RecoveryBound * 2)
                    {
                        FailedCalls++;
                        await Task.Delay(50, CancellationToken.None);
                    }
                }

                ledger.Enqueued(jobs);
                if (sentAfterKill && FirstAcknowledgedAfterKill is null)
                {
                    FirstAcknowledgedAfterKill = sinceKill!.Elapsed;
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }
    }
}
