using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TaskQueue.Client;
using TaskQueue.Generated;
using TaskQueue.Processing;
using TaskQueue.Redis;

namespace TaskQueue.Benchmarks;

/// <summary>
/// TaskQueue on a Redis Cluster (issue #13):
/// <c>cluster --masters N [--replicas 0|1] [--queues Q] [--enqueue-replicas R] [--phases bulk,drain|serial|latency] [--jobs N] [--concurrency C] [--rate R] [--seconds S] [--runs N] [--results FILE]</c>.
/// <c>--masters 0</c> runs the same phases on one plain redis-server (the reference). Each invocation starts its own
/// servers (<see cref="RedisClusterServers"/>), places the Q queues (<c>{tq:queue}</c> hash tags) so each master gets
/// ⌈Q/N⌉ at most, then runs 1 warm-up + <c>--runs</c> measured runs of the phases, FLUSHALL on every master before each:
/// <list type="bullet">
/// <item><c>bulk</c>: <see cref="IJobClient.EnqueueManyAsync"/> calls of 100 jobs per queue (Q×100 jobs a call: the store
/// sends one script call per queue, all before awaiting any), one call in flight; per-call latency recorded.</item>
/// <item><c>drain</c>: the jobs the bulk phase left (or an untimed prefill) drained by one real <c>Worker</c> serving all Q
/// queues (concurrency 100 unless given), timed from worker start until the last job ran; exact-delivery check.</item>
/// <item><c>serial</c>: one enqueue at a time, job i into queue i mod Q (as add-serial); per-call latency recorded.</item>
/// <item><c>latency</c>: pickup latency, open loop: the <c>produce</c> child process enqueues stamped jobs at
/// <c>--rate</c> into queue <c>latency</c>, connected to one node only (StackExchange.Redis finds the cluster), and the
/// worker here waits for the work signal (scripts PUBLISH; a cluster broadcasts it over its bus).</item>
/// </list>
/// Redis commands are summed over the masters, Redis CPU over every node (replicas included); the note of each row gives
/// the CPU per node and the queues per master.
/// </summary>
internal static class ClusterWorkloads
{
    private const int JobsPerQueuePerCall = 100;
    private static readonly ServiceProvider s_services = new ServiceCollection().BuildServiceProvider();

    public static async Task<int> RunAsync(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Arg(name) is { } text ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;
        var masters = Int("--masters", 3);
        var replicas = Int("--replicas", 0) > 0;
        var queueCount = Int("--queues", 12);
        var enqueueReplicas = Int("--enqueue-replicas", 0);
        var phases = (Arg("--phases") ?? "bulk,drain").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var runs = Int("--runs", 5);
        var concurrency = Int("--concurrency", -1);
        var rate = Int("--rate", 1000);
        var seconds = Int("--seconds", 5);
        var results = Arg("--results");
        if (phases.Except(["bulk", "drain", "serial", "latency"]).FirstOrDefault() is { } unknown)
        {
            Console.Error.WriteLine($"cluster: unknown phase '{unknown}' (phases: bulk, drain, serial, latency)");
            return 2;
        }

        if (masters == 0 && (replicas || enqueueReplicas > 0))
        {
            Console.Error.WriteLine("cluster: --masters 0 (one plain redis-server) has no replicas");
            return 2;
        }

        await using var servers = await RedisClusterServers.StartAsync(masters, replicas);
        var queues = await PlaceQueuesAsync(servers, queueCount);
        var placement = await DescribePlacementAsync(servers, queues);
        var config = (masters == 0 ? "single redis-server" : $"cluster {masters} master(s)" + (replicas ? " + 1 replica each" : string.Empty))
            + $" queues={queueCount}" + (enqueueReplicas > 0 ? $" enqueue-replicas={enqueueReplicas}" : string.Empty);
        Console.WriteLine($"cluster [{config}]: nodes {string.Join(' ', servers.Nodes.Select(n => (n.IsPrimary ? "M" : "R") + n.Port.ToString(CultureInfo.InvariantCulture) + "/pid" + n.Pid.ToString(CultureInfo.InvariantCulture)))}; queues per master {placement}; 1 warm-up + {runs} measured runs");

        var storeOptions = new RedisJobStoreOptions { ConnectionString = servers.ConnectionString, EnqueueReplicas = enqueueReplicas };
        var byPhase = phases.ToDictionary(p => p, _ => new List<RunResult>(), StringComparer.Ordinal);
        for (var run = 0; run <= runs; run++)
        {
            await servers.FlushAllAsync();
            await using var store = await RedisJobStore.ConnectAsync(storeOptions);
            var filled = 0;
            foreach (var phase in phases)
            {
                if (phase is "serial" or "bulk" && phase != phases[0])
                {
                    // The add checks count what waits in the queues: start each from empty (drain uses what bulk left).
                    await servers.FlushAllAsync();
                }

                var result = phase switch
                {
                    "bulk" => await BulkAsync(servers, store, queues, Int("--jobs", 100_000)),
                    "serial" => await SerialAsync(servers, store, queues, Int("--jobs", 20_000)),
                    "drain" => await DrainAsync(servers, store, queues, Int("--jobs", 100_000), filled, concurrency > 0 ? concurrency : 100),
                    _ => await LatencyAsync(servers, store, rate * seconds, rate, concurrency > 0 ? concurrency : 10),
                };
                filled = phase is "bulk" ? result.Jobs : 0;
                result = result with { Note = result.Note + "; queues per master " + placement };
                Console.WriteLine($"  {(run == 0 ? "warm-up" : "run " + run.ToString(CultureInfo.InvariantCulture)),-7} {phase,-7} " + result.Describe());
                if (run > 0)
                {
                    byPhase[phase].Add(result);
                }
            }
        }

        var exact = true;
        foreach (var (phase, list) in byPhase)
        {
            var name = "cluster-" + phase switch { "bulk" => "add-bulk", "serial" => "add-serial", var p => p };
            var rowConfig = config + (phase is "drain" or "latency" ? " c=" + (concurrency > 0 ? concurrency : phase == "drain" ? 100 : 10).ToString(CultureInfo.InvariantCulture) : string.Empty)
                + (phase == "latency" ? $" rate={rate.ToString(CultureInfo.InvariantCulture)}/s" : string.Empty);
            Report.Write(new BenchOptions { Workload = name, ResultsFile = results }, rowConfig, list);
            exact &= list.All(r => r.ExactDelivery);
        }

        return exact ? 0 : 1;
    }

    /// <summary>
    /// Picks Q queue names (q0, q1, ...) so no master gets more than ⌈Q/masters⌉ of them: the hash of a name decides
    /// its master, so consecutive names would land unevenly; a skipped name is one whose master is full.
    /// </summary>
    private static async Task<string[]> PlaceQueuesAsync(RedisClusterServers servers, int count)
    {
        var limit = (count + Math.Max(1, servers.Masters) - 1) / Math.Max(1, servers.Masters);
        var perPrimary = new Dictionary<int, int>();
        var chosen = new List<string>();
        for (var i = 0; chosen.Count < count; i++)
        {
            var name = "q" + i.ToString(CultureInfo.InvariantCulture);
            var primary = await servers.PrimaryOfAsync(QueueTag(name));
            if (perPrimary.GetValueOrDefault(primary.Port) < limit)
            {
                perPrimary[primary.Port] = perPrimary.GetValueOrDefault(primary.Port) + 1;
                chosen.Add(name);
            }
        }

        return [.. chosen];
    }

    private static async Task<string> DescribePlacementAsync(RedisClusterServers servers, string[] queues)
    {
        var owners = new List<int>();
        foreach (var queue in queues)
        {
            owners.Add((await servers.PrimaryOfAsync(QueueTag(queue))).Port);
        }

        var latency = (await servers.PrimaryOfAsync(QueueTag(LatencyWorkloads.Queue))).Port;
        return string.Join(" / ", servers.Primaries.Select(p => p.Port.ToString(CultureInfo.InvariantCulture) + ": " + owners.Count(o => o == p.Port).ToString(CultureInfo.InvariantCulture)
            + " (" + string.Join(',', queues.Where((_, i) => owners[i] == p.Port)) + ")" + (p.Port == latency ? " +latency" : string.Empty)));
    }

    /// <summary>The hash tag all keys of a queue share, under the default key prefix.</summary>
    private static string QueueTag(string queue) => "{" + RedisJobStoreOptions.DefaultKeyPrefix + ":" + queue + "}";

    private static async Task<RunResult> BulkAsync(RedisClusterServers servers, RedisJobStore store, string[] queues, int jobs)
    {
        var client = new JobClient(store);
        var options = queues.Select(q => new JobOptions { Queue = q }).ToArray();
        var ids = new JobId[jobs];
        var perCall = jobs / (JobsPerQueuePerCall * queues.Length) + 1;
        LatencyRecorder.Reset();
        return await MeasureAsync(servers, jobs,
            async () =>
            {
                var callSize = JobsPerQueuePerCall * queues.Length;
                for (var sent = 0; sent < jobs; sent += callSize)
                {
                    var batch = new JobRequest[Math.Min(callSize, jobs - sent)];
                    for (var k = 0; k < batch.Length; k++)
                    {
                        batch[k] = new JobRequest(Jobs.Noop.Definition, Jobs.Noop.Serialize(sent + k), options[k / JobsPerQueuePerCall]);
                    }

                    var started = Stopwatch.GetTimestamp();
                    var created = await client.EnqueueManyAsync(batch);
                    LatencyRecorder.Record(Stopwatch.GetTimestamp() - started);
                    for (var k = 0; k < created.Count; k++)
                    {
                        ids[sent + k] = created[k];
                    }
                }
            },
            () => CheckAddedAsync(store, queues, ids),
            LatencyRecorder.Percentiles,
            $"per call {JobsPerQueuePerCall}/queue ({perCall} calls), latency = per call");
    }

    private static async Task<RunResult> SerialAsync(RedisClusterServers servers, RedisJobStore store, string[] queues, int jobs)
    {
        var client = new JobClient(store);
        var options = queues.Select(q => new JobOptions { Queue = q }).ToArray();
        var ids = new JobId[jobs];
        LatencyRecorder.Reset();
        return await MeasureAsync(servers, jobs,
            async () =>
            {
                for (var i = 0; i < jobs; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    ids[i] = await client.EnqueueAsync(Jobs.Noop.Definition, Jobs.Noop.Serialize(i), options[i % queues.Length]);
                    LatencyRecorder.Record(Stopwatch.GetTimestamp() - started);
                }
            },
            () => CheckAddedAsync(store, queues, ids),
            LatencyRecorder.Percentiles,
            "latency = per call");
    }

    /// <summary>As add-*: every id distinct and exactly that many jobs waiting over the queues.</summary>
    private static async Task<(int Missing, int Duplicates)> CheckAddedAsync(RedisJobStore store, string[] queues, JobId[] ids)
    {
        long pending = 0;
        foreach (var queue in queues)
        {
            pending += (await store.GetQueueStatsAsync(queue)).Pending;
        }

        var jobs = ids.Length;
        var distinct = ids.Distinct().Count(id => !id.IsEmpty);
        return ((int)Math.Max(0, jobs - Math.Min(distinct, pending)), (int)Math.Max(0, pending - jobs) + (jobs - distinct - ids.Count(id => id.IsEmpty)));
    }

    private static async Task<RunResult> DrainAsync(RedisClusterServers servers, RedisJobStore store, string[] queues, int jobs, int filled, int concurrency)
    {
        if (filled != jobs)
        {
            // Untimed prefill, round-robin as the bulk phase does.
            var client = new JobClient(store);
            var options = queues.Select(q => new JobOptions { Queue = q }).ToArray();
            var callSize = JobsPerQueuePerCall * queues.Length;
            for (var sent = 0; sent < jobs; sent += callSize)
            {
                var batch = new JobRequest[Math.Min(callSize, jobs - sent)];
                for (var k = 0; k < batch.Length; k++)
                {
                    batch[k] = new JobRequest(Jobs.Noop.Definition, Jobs.Noop.Serialize(sent + k), options[k / JobsPerQueuePerCall]);
                }

                await client.EnqueueManyAsync(batch);
            }
        }

        DeliveryLedger.Reset(jobs);
        using var stop = new CancellationTokenSource();
        Task? running = null;
        return await MeasureAsync(servers, jobs,
            async () =>
            {
                // As TaskQueueWorkloads.CreateWorker, serving every queue (in the given order).
                var worker = new Worker(
                    store,
                    new JobDispatcher([new TaskQueueBenchmarksJobRegistry()]),
                    s_services,
                    new WorkerOptions { Queues = [.. queues], Concurrency = concurrency, ShutdownDrainTime = TimeSpan.FromSeconds(5) },
                    TimeProvider.System,
                    NullLogger<Worker>.Instance);
                running = worker.RunAsync(stop.Token);
                if (!await DeliveryLedger.WaitForAsync(TimeSpan.FromMinutes(5)))
                {
                    Console.Error.WriteLine($"cluster drain: only {DeliveryLedger.Processed} of {jobs} jobs ran within 5 minutes");
                }
            },
            async () =>
            {
                await stop.CancelAsync();
                await running!;
                long pending = 0, active = 0, processed = 0;
                foreach (var queue in queues)
                {
                    var stats = await store.GetQueueStatsAsync(queue);
                    pending += stats.Pending;
                    active += stats.Active;
                    processed += stats.ProcessedToday;
                }

                var (missing, duplicates) = DeliveryLedger.Check();
                var unrecorded = (int)Math.Max(0, jobs - processed);
                if (pending != 0 || active != 0 || unrecorded != 0)
                {
                    Console.Error.WriteLine($"cluster drain: after stop pending={pending} active={active} processed={processed}");
                }

                return (Math.Max(missing, unrecorded), duplicates);
            },
            latency: null,
            note: null);
    }

    /// <summary>Pickup latency as the <c>latency</c> row: the producer child process enqueues stamped jobs at <paramref name="rate"/>, open loop.</summary>
    private static async Task<RunResult> LatencyAsync(RedisClusterServers servers, RedisJobStore store, int jobs, int rate, int concurrency)
    {
        DeliveryLedger.Reset(jobs);
        LatencyRecorder.Reset();
        using var stop = new CancellationTokenSource();
        var worker = TaskQueueWorkloads.CreateWorker(store, LatencyWorkloads.Queue, concurrency);
        var running = worker.RunAsync(stop.Token);
        var host = Path.GetFileNameWithoutExtension(Environment.ProcessPath!);
        var self = host == "dotnet" ? "\"" + typeof(ClusterWorkloads).Assembly.Location + "\" " : string.Empty;
        var seed = servers.Primaries.First().Port.ToString(CultureInfo.InvariantCulture);
        using var producer = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, $"{self}produce --rate {rate} --jobs {jobs} --port {seed}")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        if (await producer.StandardOutput.ReadLineAsync() != "warm")
        {
            throw new InvalidOperationException("The producer process did not get ready.");
        }

        // Let the worker reach its idle wait (and take the warm-up jobs' signal) before the producer starts.
        await Task.Delay(500);
        return await MeasureAsync(servers, jobs,
            async () =>
            {
                await producer.StandardInput.WriteLineAsync("go");
                await producer.StandardInput.FlushAsync();
                await producer.WaitForExitAsync();
                if (producer.ExitCode != 0)
                {
                    throw new InvalidOperationException($"The producer process failed with exit code {producer.ExitCode}.");
                }

                if (!await DeliveryLedger.WaitForAsync(TimeSpan.FromMinutes(1)))
                {
                    Console.Error.WriteLine($"cluster latency: only {DeliveryLedger.Processed} of {jobs} jobs ran");
                }
            },
            async () =>
            {
                await stop.CancelAsync();
                await running;
                return DeliveryLedger.Check();
            },
            LatencyRecorder.Percentiles,
            $"producer seeded with 127.0.0.1:{seed} only");
    }

    /// <summary>
    /// As <see cref="Workloads.MeasureAsync(BenchContext, int, Func{Task}, Func{Task{ValueTuple{int, int}}}, Func{double[]}?)"/>
    /// over every node: commands summed over the masters, CPU over all nodes, the CPU of each node in the note.
    /// </summary>
    private static async Task<RunResult> MeasureAsync(RedisClusterServers servers, int jobs, Func<Task> body, Func<Task<(int Missing, int Duplicates)>> check, Func<double[]>? latency, string? note)
    {
        var redisBefore = await servers.ReadCountersAsync();
        ProcessCounters.ResetPeakRss();
        var before = ProcessCounters.Read();
        var started = Stopwatch.GetTimestamp();
        await body();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var after = ProcessCounters.Read();
        var peak = ProcessCounters.PeakRssBytes();
        var redisAfter = await servers.ReadCountersAsync();
        var (missing, duplicates) = await check();
        var deltas = redisAfter.Zip(redisBefore, (a, b) => a - b).ToArray();
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < deltas.Length; i++)
        {
            if (servers.Nodes[i].IsPrimary)
            {
                foreach (var (command, count) in deltas[i].Calls)
                {
                    calls[command] = calls.GetValueOrDefault(command) + count;
                }
            }
        }

        var perNode = string.Join(' ', servers.Nodes.Select((n, i) => (n.IsPrimary ? "M" : "R") + n.Port.ToString(CultureInfo.InvariantCulture) + "="
            + (deltas[i].CpuSeconds * 1e6 / jobs).ToString("0.0", CultureInfo.InvariantCulture)));
        return new RunResult
        {
            Jobs = jobs,
            Seconds = seconds,
            Missing = missing,
            Duplicates = duplicates,
            Redis = new RedisCounters(calls, deltas.Sum(d => d.CpuSeconds)),
            ClientCpuSeconds = (after.Cpu - before.Cpu).TotalSeconds,
            AllocatedBytes = after.AllocatedBytes - before.AllocatedBytes,
            PeakRssBytes = peak,
            LatencyMs = latency?.Invoke(),
            Note = (note is null ? string.Empty : note + "; ") + "Redis CPU ms/1k jobs per node " + perNode,
        };
    }
}
