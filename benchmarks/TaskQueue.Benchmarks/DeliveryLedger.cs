namespace TaskQueue.Benchmarks;

/// <summary>
/// Counts how often each enqueued sequence number ran, without allocating per job, so every run can prove
/// exact delivery: every job once, none twice, none lost.
/// </summary>
internal static class DeliveryLedger
{
    private static int[] s_counts = [];
    private static int s_processed;

    public static int Processed => Volatile.Read(ref s_processed);

    public static void Reset(int jobs)
    {
        s_counts = new int[jobs];
        Volatile.Write(ref s_processed, 0);
    }

    public static void Record(int sequence)
    {
        var counts = s_counts;
        if ((uint)sequence < (uint)counts.Length)
        {
            Interlocked.Increment(ref counts[sequence]);
        }

        Interlocked.Increment(ref s_processed);
    }

    /// <summary>Waits (bounded) until <paramref name="expected"/> jobs ran; false on timeout.</summary>
    public static async Task<bool> WaitForAsync(int expected, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var spins = 0;
        while (Processed < expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            // Spin briefly first so short runs are timed precisely, then back off to 1 ms naps.
            if (++spins < 200)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1);
            }
        }

        return true;
    }

    /// <summary>Missing and duplicated sequence numbers of the current run.</summary>
    public static (int Missing, int Duplicates) Check()
    {
        int missing = 0, duplicates = 0;
        foreach (var count in s_counts)
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
