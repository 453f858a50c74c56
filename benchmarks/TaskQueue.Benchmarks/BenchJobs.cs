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

    /// <summary>A scheduled job: records how late it started against <paramref name="dueTimestamp"/>, its due time as a <see cref="Stopwatch"/> timestamp.</summary>
    [Job(Queue = DelayedBurstWorkload.Queue, MaxRetries = 3)]
    public static void Due(int sequence, long dueTimestamp)
    {
        DelayedBurstWorkload.RecordLateness(Stopwatch.GetTimestamp() - dueTimestamp);
        DeliveryLedger.Record(sequence);
    }

    /// <summary>Throws on the first attempt of every 100th sequence number, succeeds otherwise; retried after a fixed 50 ms.</summary>
    [Job(Queue = FailingJobsWorkload.Queue, MaxRetries = 3, Retry = RetryStrategy.Fixed, RetryBaseDelay = "00:00:00.050")]
    public static void Flaky(int sequence, JobContext context)
    {
        AttemptLedger.Record(sequence);
        if (FailingJobsWorkload.FailsFirst(sequence) && context.Attempt == 1)
        {
            throw new InvalidOperationException($"Job 'Flaky' sequence {sequence}: planned failure of attempt 1 (the failing workload fails every 100th job once).");
        }

        DeliveryLedger.Record(sequence);
    }
}
