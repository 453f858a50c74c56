using System.Diagnostics;
using TaskQueue;

namespace TaskQueue.Benchmarks;

/// <summary>The jobs the harness runs through the generated proxies and dispatch table.</summary>
public static class BenchJobs
{
    /// <summary>A no-op job that only records its sequence number for the exact-delivery check.</summary>
    [Job(Queue = "bench", MaxRetries = 3)]
    public static void Noop(int sequence) => DeliveryLedger.Record(sequence);

    /// <summary>Records how long after <paramref name="sentTimestamp"/> (a <see cref="Stopwatch"/> timestamp, monotonic and machine-wide on Linux) it started.</summary>
    [Job(Queue = "latency", MaxRetries = 3)]
    public static void Stamp(int sequence, long sentTimestamp)
    {
        LatencyRecorder.Record(Stopwatch.GetTimestamp() - sentTimestamp);
        DeliveryLedger.Record(sequence);
    }
}
