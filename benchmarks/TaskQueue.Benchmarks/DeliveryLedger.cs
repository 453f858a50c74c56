namespace TaskQueue.Benchmarks;

/// <summary>
/// Counts how often each enqueued sequence number ran, without allocating per job, so every run can prove
/// exact delivery: every job once, none twice, none lost.
/// </summary>
internal static class DeliveryLedger
{
    private static int[] s_counts = [];
    private static int s_processed;
    private static int s_expected;
    private static TaskCompletionSource s_allRan = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static int Processed => Volatile.Read(ref s_processed);

    public static void Reset(int jobs)
    {
        s_counts = new int[jobs];
        s_expected = jobs;
        s_allRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref s_processed, 0);
    }

    public static void Record(int sequence)
    {
        var counts = s_counts;
        if ((uint)sequence < (uint)counts.Length)
        {
            Interlocked.Increment(ref counts[sequence]);
        }

        if (Interlocked.Increment(ref s_processed) == Volatile.Read(ref s_expected))
        {
            s_allRan.TrySetResult();
        }
    }

    /// <summary>
    /// Sets how many jobs the run expects once that is known (steady state: after the producer stopped); the ledger was
    /// reset with room for at least that many. Signals at once when they already ran.
    /// </summary>
    public static void Expect(int jobs)
    {
        Volatile.Write(ref s_expected, jobs);
        if (Processed >= jobs)
        {
            s_allRan.TrySetResult();
        }
    }

    /// <summary>Waits (bounded) until all jobs of the run ran, signalled by the last one (no polling, so no harness CPU); false on timeout.</summary>
    public static async Task<bool> WaitForAsync(TimeSpan limit)
    {
        var allRan = s_allRan.Task;
        return await Task.WhenAny(allRan, Task.Delay(limit)) == allRan;
    }

    /// <summary>The run counts per sequence number, as bytes (little-endian int32s), for a parent process to add up.</summary>
    public static byte[] CountsAsBytes() => System.Runtime.InteropServices.MemoryMarshal.AsBytes(s_counts.AsSpan()).ToArray();

    /// <summary>The counts written by <see cref="CountsAsBytes"/>.</summary>
    public static int[] CountsFromBytes(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes).ToArray();

    /// <summary>Missing and duplicated sequence numbers of the current run.</summary>
    public static (int Missing, int Duplicates) Check()
    {
        int missing = 0, duplicates = 0;
        foreach (var count in s_counts.AsSpan(0, Math.Min(s_expected, s_counts.Length)))
        {
            if (count == 0)
            {
                missing++;
            }
            else if (count > 1)
            {
                duplicates += count - 1;
            }
        }

        return (missing, duplicates);
    }
}
