using System.Diagnostics;
using System.Globalization;
using System.Text;
using StackExchange.Redis;
using TaskQueue.Admin;
using TaskQueue.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit.Abstractions;

namespace TaskQueue.FaultTests;

/// <summary>
/// One drill's world: the job store's redis-server (where faults are injected) or a Redis Sentinel deployment, a second
/// redis-server for the ledger (never faulted, so the record of what ran survives every fault), worker processes, and
/// the ledger. Everything it starts it stops, by PID, on dispose.
/// </summary>
internal sealed class FaultDrill : IAsyncDisposable
{
    /// <summary>The sample worker's <c>FaultDrillJobs.FaultDrill</c> queue.</summary>
    public const string Queue = "fault-drill";

    private const string KeyPrefix = "fd";

    private static readonly JobDefinition Job = new("FaultDrill", Queue, Priority.Normal, maxRetries: 25, timeout: null, RetryPolicy.Default, requiresScope: false);

    private readonly ITestOutputHelper _output;
    private readonly Dictionary<int, string> _workerIds = [];

    private readonly RedisServerProcess? _storeServer;

    private FaultDrill(ITestOutputHelper output, string storeEndPoints, RedisServerProcess? storeServer, RedisCluster? cluster, RedisSentinelTopology? sentinel, IReadOnlyList<string> queues, RedisServerProcess ledgerServer, RedisJobStore store, ConnectionMultiplexer admin, ConnectionMultiplexer ledger)
    {
        _output = output;
        Queues = queues;
        StoreEndPoints = storeEndPoints;
        _storeServer = storeServer;
        Cluster = cluster;
        Sentinel = sentinel;
        LedgerServer = ledgerServer;
        Store = store;
        Admin = admin;
        LedgerConnection = ledger;
    }

    /// <summary>The job store's redis-server (a drill on one server).</summary>
    public RedisServerProcess StoreServer => _storeServer ?? throw new InvalidOperationException("This drill's store is a Redis Cluster or runs under Sentinel: use Cluster or Sentinel.");

    /// <summary>The job store's Redis Cluster (a drill on a cluster), else null.</summary>
    public RedisCluster? Cluster { get; }

    /// <summary>The store's Sentinel deployment, in a drill started by <see cref="StartWithSentinelAsync"/>, else null.</summary>
    public RedisSentinelTopology? Sentinel { get; }

    /// <summary>
    /// The queues the drill's jobs go to (round robin, a batch per queue) and its workers serve: <see cref="Queue"/>,
    /// then <c>fault-drill-1</c>, <c>fault-drill-2</c>... (on a cluster, spread over the slots of the masters).
    /// </summary>
    public IReadOnlyList<string> Queues { get; }

    /// <summary>The store's endpoints: one server's, every cluster node's, or the sentinels and service name.</summary>
    public string StoreEndPoints { get; }

    public RedisServerProcess LedgerServer { get; }

    /// <summary>The test's own connection to the job store (enqueue, admin reads).</summary>
    public RedisJobStore Store { get; }

    /// <summary>An admin connection to the store's server (CLIENT KILL, DEBUG SLEEP, CONFIG SET); reconnects after restarts.</summary>
    public ConnectionMultiplexer Admin { get; }

    public ConnectionMultiplexer LedgerConnection { get; }

    public Ledger Ledger { get; } = new();

    public List<DrillWorker> Workers { get; } = [];

    /// <summary>
    /// How long recovery is tracked after a fault. A killed worker's jobs are retried behind the queue's backlog, so a
    /// soak with hundreds of thousands queued needs as long as the drill itself.
    /// </summary>
    public TimeSpan RecoveryTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public string StoreConnection => $"{StoreEndPoints},keyPrefix={KeyPrefix}";

    /// <summary>The hash tag of the drill queue's keys: the cluster slot whose master a cluster drill fails.</summary>
    public static string QueueKey => $"{{{KeyPrefix}:{Queue}}}";

    /// <summary>Starts both servers; <paramref name="storeArguments"/> configure the store's (<c>--appendonly yes</c>, <c>--enable-debug-command yes</c>...).</summary>
    public static async Task<FaultDrill> StartAsync(ITestOutputHelper output, params string[] storeArguments)
    {
        var storeServer = await RedisServerProcess.StartAsync(storeArguments);
        return await StartAsync(output, storeServer.EndPoint, storeServer, cluster: null, sentinel: null, queues: 1);
    }

    /// <summary>Starts a Sentinel deployment (master, <paramref name="replicas"/> replicas, three sentinels) for the store, and the ledger's server.</summary>
    public static async Task<FaultDrill> StartWithSentinelAsync(ITestOutputHelper output, int replicas = 1)
    {
        var sentinel = await RedisSentinelTopology.StartAsync(replicas);
        return await StartAsync(output, sentinel.ConnectionString, storeServer: null, cluster: null, sentinel, queues: 1);
    }

    /// <summary>
    /// Starts a ledger server for a drill whose job store is <paramref name="cluster"/> (which the drill then owns),
    /// over <paramref name="queues"/> queues.
    /// </summary>
    public static Task<FaultDrill> StartOnClusterAsync(ITestOutputHelper output, RedisCluster cluster, int queues = 1)
        => StartAsync(output, cluster.ConnectionString, storeServer: null, cluster, sentinel: null, queues);

    /// <summary>A further store on the drill's key prefix, e.g. a producer with other options; the caller disposes it.</summary>
    public async Task<RedisJobStore> ConnectStoreAsync(Action<RedisJobStoreOptions> configure)
    {
        var options = new RedisJobStoreOptions { ConnectionString = StoreConnection };
        configure(options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await RedisJobStore.ConnectAsync(options, timeout.Token);
    }

    private static async Task<FaultDrill> StartAsync(ITestOutputHelper output, string storeEndPoints, RedisServerProcess? storeServer, RedisCluster? cluster, RedisSentinelTopology? sentinel, int queues)
    {
        string[] names = [.. Enumerable.Range(0, queues).Select(static i => i == 0 ? Queue : string.Create(CultureInfo.InvariantCulture, $"{Queue}-{i}"))];
        var ledgerServer = await RedisServerProcess.StartAsync([]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var store = await RedisJobStore.ConnectAsync($"{storeEndPoints},keyPrefix={KeyPrefix}", timeout.Token);
        var admin = await ConnectionMultiplexer.ConnectAsync($"{storeEndPoints},allowAdmin=true,abortConnect=false,asyncTimeout=15000,syncTimeout=15000");
        var ledger = await ConnectionMultiplexer.ConnectAsync(ledgerServer.EndPoint);
        return new FaultDrill(output, storeEndPoints, storeServer, cluster, sentinel, names, ledgerServer, store, admin, ledger);
    }

    public Task<RedisResult> ExecuteOnStoreAsync(string command, params object[] args) => Admin.GetDatabase().ExecuteAsync(command, args);

    /// <summary>Starts a worker process and learns its worker id (to find its leases after a fault).</summary>
    public async Task<DrillWorker> StartWorkerAsync(int concurrency, double leaseSeconds = 3)
    {
        var worker = await DrillWorker.StartAsync(StoreConnection, LedgerServer.EndPoint, concurrency, leaseSeconds, Queues);
        Workers.Add(worker);
        var info = await Eventually.ValueAsync(
            async () => (await Store.ListWorkersAsync()).FirstOrDefault(w => w.ProcessId == worker.Id),
            $"worker pid {worker.Id} to register",
            TimeSpan.FromSeconds(30));
        _workerIds[worker.Id] = info.Id;
        return worker;
    }

    /// <summary>
    /// Enqueues <paramref name="count"/> jobs that sleep <paramref name="milliseconds"/>, in batches, through
    /// <paramref name="via"/> (default: <see cref="Store"/>); a batch whose outcome is unknown is re-sent as is (same ids: stored once).
    /// </summary>
    public async Task<IReadOnlyList<JobId>> EnqueueAsync(int count, int milliseconds, int batchSize = 500, RedisJobStore? via = null)
    {
        var store = via ?? Store;
        var ids = new List<JobId>(count);
        for (var done = 0; done < count; done += batchSize)
        {
            var batch = NewJobs(Math.Min(batchSize, count - done), milliseconds, Queues[done / batchSize % Queues.Count]);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await store.EnqueueManyAsync(batch);
                    break;
                }
                catch (RedisJobStoreException) when (attempt < 100)
                {
                    await Task.Delay(100);
                }
            }

            Ledger.Enqueued(batch);
            ids.AddRange(batch.Select(j => j.Id));
        }

        return ids;
    }

    /// <summary><paramref name="count"/> new drill jobs (new ids) whose handler sleeps <paramref name="milliseconds"/>, into <paramref name="queue"/> (default <see cref="Queue"/>).</summary>
    public static List<NewJob> NewJobs(int count, int milliseconds, string queue = Queue)
    {
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"milliseconds":{{milliseconds}}}"""));
        return [.. Enumerable.Range(0, count).Select(_ => new NewJob { Id = JobId.New(), Name = Job.Name, Queue = queue, Priority = Job.Priority, Payload = payload, MaxRetries = Job.MaxRetries })];
    }

    /// <summary>One enqueue, not retried and not in the ledger: for tests that expect Redis to refuse it.</summary>
    public async Task EnqueueOnceAsync()
    {
        await Store.EnqueueAsync(NewJobs(1, milliseconds: 0)[0]);
    }

    /// <summary>
    /// SIGKILLs <paramref name="worker"/>, records the jobs the store had leased to it (the only ones allowed to run
    /// twice) and tracks recovery: the time until every one of them has succeeded elsewhere.
    /// </summary>
    public async Task<Fault> KillAsync(DrillWorker worker)
    {
        worker.KillHard();
        var killedAt = Stopwatch.StartNew();
        var inFlight = await LeasedToAsync(worker);
        var fault = Ledger.Add(string.Create(CultureInfo.InvariantCulture, $"kill -9 worker pid {worker.Id}"), inFlight, worker.Concurrency);
        fault.RecoveryMeaning = "until every job it held succeeded elsewhere";
        fault.Tracking = TrackAsync(fault, killedAt, async () => await AllSucceededAsync(inFlight));
        return fault;
    }

    /// <summary>
    /// SIGSTOPs <paramref name="worker"/> (it keeps its leases but renews none), records the jobs leased to it and
    /// tracks recovery: the time until every one of them has succeeded elsewhere. SIGCONT is the test's to send.
    /// </summary>
    public async Task<Fault> SuspendAsync(DrillWorker worker)
    {
        worker.Suspend();
        var stoppedAt = Stopwatch.StartNew();
        var inFlight = await LeasedToAsync(worker);
        var fault = Ledger.Add(string.Create(CultureInfo.InvariantCulture, $"SIGSTOP worker pid {worker.Id} past its lease"), inFlight, worker.Concurrency);
        fault.RecoveryMeaning = "until every job it held succeeded elsewhere";
        fault.Tracking = TrackAsync(fault, stoppedAt, async () => await AllSucceededAsync(inFlight));
        return fault;
    }

    /// <summary>
    /// Ids the store shows running under <paramref name="worker"/>'s worker id (its current leases), retried while the
    /// store reconnects: in the soak a kill can land while Redis restarts.
    /// </summary>
    public async Task<IReadOnlySet<string>> LeasedToAsync(DrillWorker worker)
    {
        var workerId = _workerIds[worker.Id];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunningJobsAsync(j => j.WorkerId == workerId);
            }
            catch (RedisJobStoreException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>
    /// Records a server-side fault injected at <paramref name="started"/> (<see cref="Ledger.Now"/>) that has just
    /// been cleared, and tracks recovery: the time until the store records a success again (its processed counter
    /// moves past its value when first readable after the fault).
    /// </summary>
    public Fault ServerFault(string name, TimeSpan started, IReadOnlySet<string>? inFlight = null)
    {
        var cleared = Stopwatch.StartNew();
        var fault = Ledger.Add(name, inFlight, serverFaultStart: started);
        fault.RecoveryMeaning = "from the fault's end until the store records a success again";
        long? baseline = null;
        fault.Tracking = TrackAsync(fault, cleared, async () =>
        {
            var processed = await ProcessedAsync();
            baseline ??= processed;
            return processed > baseline;
        });
        return fault;
    }

    /// <summary>
    /// Every job the store shows running (on any worker), retried while the store reconnects: around a server fault
    /// these may see their lease expire and run again.
    /// </summary>
    public async Task<HashSet<string>> RunningAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunningJobsAsync(static _ => true);
            }
            catch (RedisJobStoreException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The store's processed counters of every drill queue (today and yesterday).</summary>
    public async Task<long> ProcessedAsync()
    {
        long processed = 0;
        foreach (var queue in Queues)
        {
            processed += (await Store.GetDailyTotalsAsync(queue, 2)).Sum(t => t.Processed);
        }

        return processed;
    }

    /// <summary>Whether no drill queue holds a pending, scheduled, retrying or running job.</summary>
    public async Task<bool> QueuesEmptyAsync()
    {
        foreach (var queue in Queues)
        {
            var stats = await Store.GetQueueStatsAsync(queue);
            if (stats.Pending + stats.Scheduled + stats.Retrying + stats.Active > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Waits until the queue is drained and (with <paramref name="everyJobRuns"/>) the ledger has a run for every
    /// enqueued job; without it (a server that may lose acknowledged writes) the ledger check counts what is missing.
    /// </summary>
    public async Task WaitUntilDrainedAsync(TimeSpan timeout, bool everyJobRuns = true)
    {
        var ledger = LedgerConnection.GetDatabase();
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    return await QueuesEmptyAsync()
                        && (!everyJobRuns || await ledger.ListLengthAsync(Ledger.DoneKey) >= Ledger.EnqueuedCount);
                }
                catch (RedisJobStoreException)
                {
                    return false;
                }
            },
            "every job to run and the queue to drain",
            timeout);

        // Room for a wrongly duplicated run or a late completion to show itself before counting.
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    /// <summary>Checks the ledger and prints its summary.</summary>
    public Task<LedgerSummary> CheckAsync(string drill)
        => Ledger.CheckAsync(drill, Store, Queues, LedgerConnection.GetDatabase(), _output.WriteLine);

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in Workers)
        {
            worker.Dispose();
            _output.WriteLine($"--- worker pid {worker.Id} (last lines) ---\n{Tail(worker.Output, 15)}");
        }

        await Store.DisposeAsync();
        await Admin.DisposeAsync();
        await LedgerConnection.DisposeAsync();
        if (_storeServer is not null)
        {
            await _storeServer.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (Sentinel is not null)
        {
            await Sentinel.DisposeAsync();
        }

        await LedgerServer.DisposeAsync();
    }

    private async Task TrackAsync(Fault fault, Stopwatch since, Func<Task<bool>> recovered)
    {
        while (since.Elapsed < RecoveryTimeout)
        {
            try
            {
                if (await recovered())
                {
                    fault.Recovery = since.Elapsed;
                    return;
                }
            }
            catch (RedisJobStoreException)
            {
                // The store is still coming back.
            }

            await Task.Delay(50);
        }
    }

    private async Task<bool> AllSucceededAsync(IReadOnlySet<string> ids)
    {
        foreach (var id in ids)
        {
            if (!JobId.TryParse(id, out var jobId) || (await Store.GetJobAsync(Ledger.QueueOf(id), jobId))?.State != JobState.Succeeded)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The ids of the running jobs of every drill queue that match <paramref name="filter"/>, read page by page.</summary>
    private async Task<HashSet<string>> RunningJobsAsync(Func<JobInfo, bool> filter)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var queue in Queues)
        {
            for (var offset = 0; ; offset += JobPage.MaxCount)
            {
                var page = await Store.ListJobsAsync(queue, JobListState.Running, offset, JobPage.MaxCount);
                ids.UnionWith(page.Jobs.Where(filter).Select(j => j.Id.Value));
                if (offset + JobPage.MaxCount >= page.Total)
                {
                    break;
                }
            }
        }

        return ids;
    }

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
