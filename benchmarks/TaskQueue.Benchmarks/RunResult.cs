using System.Globalization;

namespace TaskQueue.Benchmarks;

/// <summary>What one measured run produced.</summary>
internal sealed record RunResult
{
    public required int Jobs { get; init; }

    public required double Seconds { get; init; }

    /// <summary>Enqueued jobs never seen (add: not stored; drain: not run).</summary>
    public required int Missing { get; init; }

    /// <summary>Extra executions (drain) or extra stored entries (add).</summary>
    public required int Duplicates { get; init; }

    public required RedisCounters Redis { get; init; }

    public required double ClientCpuSeconds { get; init; }

    /// <summary>Managed bytes allocated by the measured process, or null when the client is not .NET.</summary>
    public double? AllocatedBytes { get; init; }

    public required long PeakRssBytes { get; init; }

    /// <summary>p50, p90, p99, p99.9, max in ms, for latency workloads.</summary>
    public double[]? LatencyMs { get; init; }

    /// <summary>Workload-specific figures of this run (steady: queue depth at the end of the window), printed and kept in the TSV.</summary>
    public string? Note { get; init; }

    public double JobsPerSecond => Jobs / Seconds;

    public bool ExactDelivery => Missing == 0 && Duplicates == 0;

    public string Describe()
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{Jobs} jobs {Seconds:0.000} s {JobsPerSecond,10:N0} jobs/s | delivery {(ExactDelivery ? "exact" : $"BROKEN missing={Missing} dup={Duplicates}")} | "
            + $"redis cmds/job {Redis.TotalCalls / (double)Jobs:0.00} (scripts {Redis.ScriptCalls / (double)Jobs:0.00}) | "
            + $"redis cpu {Redis.CpuSeconds * 1e6 / Jobs:0.0} ms/1k | client cpu {ClientCpuSeconds * 1e6 / Jobs:0.0} ms/1k | "
            + $"alloc {(AllocatedBytes is { } a ? (a / Jobs).ToString("0", CultureInfo.InvariantCulture) + " B/job" : "n/a")} | peak rss {PeakRssBytes / 1048576.0:0} MB");
        if (LatencyMs is { } l)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" | latency ms p50 {l[0]:0.000} p90 {l[1]:0.000} p99 {l[2]:0.000} p99.9 {l[3]:0.000} max {l[4]:0.000}");
        }

        if (Note is { } note)
        {
            text += " | " + note;
        }

        return text;
    }
}
