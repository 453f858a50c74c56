using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;
using TaskQueue.Admin;
using TaskQueue.Storage;

namespace TaskQueue.FaultTests;

/// <summary>
/// Every enqueued id and every injected fault of one drill, checked at the end against what ran (the worker's
/// fault-drill list in the ledger's own Redis: "ID ATTEMPT PID UNIX_MS" per finished run) and against the store's
/// own state (<see cref="IJobAdmin.GetJobAsync"/>: every job must end Succeeded).
/// </summary>
internal sealed class Ledger
{
    /// <summary>The sample worker's list of finished runs (samples/Worker/FaultDrillLedger.cs).</summary>
    public const string DoneKey = "fault-drill:done";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _enqueued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _startedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public int EnqueuedCount => _enqueued.Count;

    /// <summary>Since the drill started.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Records jobs whose enqueue Redis acknowledged (now).</summary>
    public void Enqueued(IEnumerable<NewJob> jobs)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var job in jobs)
        {
            _queues[job.Id.Value] = job.Queue;
            _enqueued[job.Id.Value] = now;
        }
    }

    /// <summary>The queue an enqueued id went to.</summary>
    public string QueueOf(string id) => _queues[id];

    /// <summary>When Redis acknowledged the enqueue of <paramref name="id"/> (null for an id never acknowledged).</summary>
    public DateTimeOffset? AcknowledgedAt(string id) => _enqueued.TryGetValue(id, out var at) ? at : null;

    /// <summary>Ids acknowledged within <paramref name="window"/> before <paramref name="before"/> (what <c>appendfsync everysec</c> may lose).</summary>
    public IReadOnlySet<string> EnqueuedWithin(TimeSpan window, DateTimeOffset before)
        => _enqueued.Where(e => e.Value > before - window && e.Value <= before).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>A worker fault (now, with the jobs leased to the worker), or a server fault from <paramref name="serverFaultStart"/> to now.</summary>
    public Fault Add(string name, IReadOnlySet<string>? inFlight = null, int concurrency = 0, TimeSpan? serverFaultStart = null)
    {
        var fault = new Fault(name, serverFaultStart ?? Now, inFlight ?? new HashSet<string>(), concurrency, serverFaultStart is null ? null : Now);
        _faults.Enqueue(fault);
        return fault;
    }

    /// <summary>Reads the ledger and the store, and returns the summary (also printed to <paramref name="print"/>).</summary>
    public async Task<LedgerSummary> CheckAsync(string drill, IJobAdmin admin, IReadOnlyList<string> queues, IDatabase ledger, Action<string> print)
    {
        foreach (var fault in _faults)
        {
            await fault.Tracking; // bounded by FaultDrill.RecoveryTimeout
        }

        var runs = await ReadRunsAsync(ledger);
        var states = await ReadStatesAsync(admin);
        var lost = _enqueued.Keys
            .Where(id => states.GetValueOrDefault(id) != JobState.Succeeded || !runs.ContainsKey(id))
            .Order(StringComparer.Ordinal)
            .ToList();
        var duplicates = runs.Where(r => r.Value.Count > 1 && _enqueued.ContainsKey(r.Key)).Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
        var unexplained = new List<string>();
        foreach (var id in duplicates)
        {
            var explainedBy = _faults.FirstOrDefault(f => f.InFlight.Contains(id) || (f.IsServerFault && FirstRunWithin(f, runs[id].FirstMs)));
            if (explainedBy is null)
            {
                unexplained.Add(id);
            }
            else
            {
                explainedBy.Explains++;
            }
        }

        var totals = new List<DailyTotals>();
        foreach (var queue in queues)
        {
            totals.AddRange(await admin.GetDailyTotalsAsync(queue, 2)); // Two days: a drill may run across midnight (UTC).
        }

        var summary = new LedgerSummary
        {
            Drill = drill,
            Enqueued = _enqueued.Count,
            Completed = states.Count(s => s.Value == JobState.Succeeded),
            Lost = lost,
            Runs = runs.Values.Sum(r => r.Count),
            Duplicates = duplicates,
            UnexplainedDuplicates = unexplained,
            ForeignRuns = runs.Where(r => !_enqueued.ContainsKey(r.Key)).Sum(r => r.Value.Count),
            SuccessesRecorded = totals.Sum(t => t.Processed),
            Faults = [.. _faults],
            Elapsed = Now,
        };
        print(summary.ToString());
        foreach (var id in unexplained.Take(5))
        {
            // Relative to the drill's start, like the faults' times above, to see how far outside a fault's window it ran.
            print(string.Create(CultureInfo.InvariantCulture, $"unexplained {id}: acknowledged +{(_enqueued[id].ToUnixTimeMilliseconds() - _startedUnixMs) / 1000.0:0.00} s, first run finished +{(runs[id].FirstMs - _startedUnixMs) / 1000.0:0.00} s, {runs[id].Count} runs"));
        }

        return summary;
    }

    /// <summary>
    /// True when a run finished within the server fault's window, widened by 1 s on each side: a job in flight when
    /// the fault began finishes its handler right after (or just before, its completion not yet written).
    /// </summary>
    private bool FirstRunWithin(Fault fault, long finishedUnixMs)
    {
        var from = _startedUnixMs + (long)fault.At.TotalMilliseconds - 1000;
        var to = _startedUnixMs + (long)fault.End!.Value.TotalMilliseconds + 1000;
        return finishedUnixMs >= from && finishedUnixMs <= to;
    }

    /// <summary>Finished runs per id and when the first finished, read in pages (a soak's list holds a million entries).</summary>
    private static async Task<Dictionary<string, (int Count, long FirstMs)>> ReadRunsAsync(IDatabase ledger)
    {
        var runs = new Dictionary<string, (int Count, long FirstMs)>(StringComparer.Ordinal);
        const int Page = 20_000;
        for (long start = 0; ; start += Page)
        {
            var entries = await ledger.ListRangeAsync(DoneKey, start, start + Page - 1);
            foreach (var entry in entries)
            {
                var fields = ((string)entry!).Split(' ');
                var finished = long.Parse(fields[3], CultureInfo.InvariantCulture);
                runs[fields[0]] = runs.TryGetValue(fields[0], out var run) ? (run.Count + 1, Math.Min(run.FirstMs, finished)) : (1, finished);
            }

            if (entries.Length < Page)
            {
                return runs;
            }
        }
    }

    private async Task<Dictionary<string, JobState>> ReadStatesAsync(IJobAdmin admin)
    {
        var states = new ConcurrentDictionary<string, JobState>(StringComparer.Ordinal);
        foreach (var chunk in _enqueued.Keys.Chunk(500))
        {
            await Task.WhenAll(chunk.Select(async id =>
            {
                if (JobId.TryParse(id, out var jobId) && await admin.GetJobAsync(_queues[id], jobId) is { } info)
                {
                    states[id] = info.State;
                }
            }));
        }

        return new Dictionary<string, JobState>(states, StringComparer.Ordinal);
    }

    /// <summary>Finished runs per second of the drill, from the ledger's timestamps (for the soak's throughput over time).</summary>
    public static async Task<string> ThroughputAsync(IDatabase ledger, int bucketSeconds)
    {
        var stamps = new List<long>();
        const int Page = 20_000;
        for (long start = 0; ; start += Page)
        {
            var entries = await ledger.ListRangeAsync(DoneKey, start, start + Page - 1);
            stamps.AddRange(entries.Select(e => long.Parse(((string)e!).Split(' ')[3], CultureInfo.InvariantCulture)));
            if (entries.Length < Page)
            {
                break;
            }
        }

        if (stamps.Count == 0)
        {
            return "throughput: no runs";
        }

        var first = stamps.Min();
        var lines = stamps
            .GroupBy(s => (s - first) / 1000 / bucketSeconds)
            .OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"  +{g.Key * bucketSeconds,4} s  {g.Count() / (double)bucketSeconds,8:0} runs/s"));
        var total = (stamps.Max() - first) / 1000.0;
        return string.Create(CultureInfo.InvariantCulture, $"throughput ({stamps.Count} runs in {total:0.0} s, {stamps.Count / Math.Max(total, 0.001):0} runs/s overall; per {bucketSeconds} s):\n") + string.Join('\n', lines);
    }
}
