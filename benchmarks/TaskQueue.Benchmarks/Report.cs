using System.Globalization;

namespace TaskQueue.Benchmarks;

/// <summary>Median, min and max over the measured runs, printed and appended as one TSV line for run-all.sh.</summary>
internal static class Report
{
    public const string TsvHeader = "workload\tconfig\tjobs\truns\tmedian_jobs_s\tmin_jobs_s\tmax_jobs_s\tdelivery\tcmds_per_job\tscripts_per_job\tredis_cpu_ms_per_1k\tclient_cpu_ms_per_1k\talloc_b_per_job\tpeak_rss_mb\tp50_ms\tp90_ms\tp99_ms\tp999_ms\tmax_ms\tload\ttop_cmds\tnote";

    public static void Write(BenchOptions options, string config, IReadOnlyList<RunResult> runs)
    {
        var throughput = runs.Select(r => r.JobsPerSecond).Order().ToArray();
        var median = Median(throughput);
        var exact = runs.All(r => r.ExactDelivery);
        var jobs = runs[0].Jobs;
        string M(Func<RunResult, double> f, string format) => Median(runs.Select(f).Order().ToArray()).ToString(format, CultureInfo.InvariantCulture);
        var alloc = runs.All(r => r.AllocatedBytes is not null) ? M(r => r.AllocatedBytes!.Value / r.Jobs, "0") : "n/a";
        var latency = runs[0].LatencyMs is null
            ? new[] { "", "", "", "", "" }
            : Enumerable.Range(0, 5).Select(i => M(r => r.LatencyMs![i], "0.000")).ToArray();
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        var medianRun = runs.OrderBy(r => r.JobsPerSecond).ElementAt(runs.Count / 2);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== {options.Workload} [{config}] median {median:N0} jobs/s (min {throughput[0]:N0}, max {throughput[^1]:N0}) over {runs.Count} runs; delivery {(exact ? "exact in every run" : "BROKEN")}; load {load}"));
        var line = string.Join('\t',
            options.Workload, config, jobs.ToString(CultureInfo.InvariantCulture), runs.Count.ToString(CultureInfo.InvariantCulture),
            median.ToString("0", CultureInfo.InvariantCulture), throughput[0].ToString("0", CultureInfo.InvariantCulture), throughput[^1].ToString("0", CultureInfo.InvariantCulture),
            exact ? "exact" : "BROKEN",
            M(r => r.Redis.TotalCalls / (double)r.Jobs, "0.00"), M(r => r.Redis.ScriptCalls / (double)r.Jobs, "0.00"),
            M(r => r.Redis.CpuSeconds * 1e6 / r.Jobs, "0.0"), M(r => r.ClientCpuSeconds * 1e6 / r.Jobs, "0.0"),
            alloc, M(r => r.PeakRssBytes / 1048576.0, "0"),
            latency[0], latency[1], latency[2], latency[3], latency[4], load, medianRun.Redis.TopPerJob(medianRun.Jobs),
            "median run: " + (medianRun.Note ?? string.Empty));
        if (options.ResultsFile is { } file)
        {
            if (!File.Exists(file))
            {
                File.WriteAllText(file, TsvHeader + "\n");
            }

            File.AppendAllText(file, line + "\n");
        }
    }

    private static double Median(double[] sorted)
        => sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
