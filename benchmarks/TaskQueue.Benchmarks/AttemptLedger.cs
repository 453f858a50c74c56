namespace TaskQueue.Benchmarks;

/// <summary>
/// Counts every attempt per sequence number, failed ones included, so the failing workload can prove that the planned
/// failures ran exactly twice and every other job exactly once (<see cref="DeliveryLedger"/> counts successes only).
/// </summary>
internal static class AttemptLedger
{
    private static int[] s_counts = [];

    public static void Reset(int jobs) => s_counts = new int[jobs];

    public static void Record(int sequence)
    {
        var counts = s_counts;
        if ((uint)sequence < (uint)counts.Length)
        {
            Interlocked.Increment(ref counts[sequence]);
        }
    }

    /// <summary>Sequence numbers that ran fewer and more times than <paramref name="expected"/> says, and all attempts made.</summary>
    public static (int TooFew, int TooMany, long Attempts) Check(Func<int, int> expected)
    {
        int tooFew = 0, tooMany = 0;
        long attempts = 0;
        var counts = s_counts;
        for (var i = 0; i < counts.Length; i++)
        {
            attempts += counts[i];
            var want = expected(i);
            if (counts[i] < want)
            {
                tooFew++;
            }
            else if (counts[i] > want)
            {
                tooMany += counts[i] - want;
            }
        }

        return (tooFew, tooMany, attempts);
    }
}
