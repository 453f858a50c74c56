using System.Diagnostics;
using HdrHistogram;

namespace TaskQueue.Benchmarks;

/// <summary>Pickup latencies in microseconds (HdrHistogram, 1 µs to 60 s, 3 significant digits).</summary>
internal static class LatencyRecorder
{
    private static readonly Lock s_gate = new();
    private static LongHistogram s_histogram = New();

    public static void Reset()
    {
        lock (s_gate)
        {
            s_histogram = New();
        }
    }

    public static void Record(long elapsedTimestampTicks)
    {
        var micros = Math.Max(1, elapsedTimestampTicks * 1_000_000 / Stopwatch.Frequency);
        lock (s_gate)
        {
            s_histogram.RecordValue(Math.Min(micros, s_histogram.HighestTrackableValue));
        }
    }

    /// <summary>p50, p90, p99, p99.9 and max in milliseconds.</summary>
    public static double[] Percentiles()
    {
        lock (s_gate)
        {
            return
            [
                s_histogram.GetValueAtPercentile(50) / 1000.0,
                s_histogram.GetValueAtPercentile(90) / 1000.0,
                s_histogram.GetValueAtPercentile(99) / 1000.0,
                s_histogram.GetValueAtPercentile(99.9) / 1000.0,
                s_histogram.GetMaxValue() / 1000.0,
            ];
        }
    }

    /// <summary>The smallest recorded value in milliseconds (delayed burst: how late the first due job started).</summary>
    public static double MinMs()
    {
        lock (s_gate)
        {
            return s_histogram.TotalCount == 0 ? double.NaN : s_histogram.LowestEquivalentValue(s_histogram.RecordedValues().First().ValueIteratedTo) / 1000.0;
        }
    }

    private static LongHistogram New() => new(1, 60_000_000, 3);
}
