namespace TaskQueue.Admin;

/// <summary>A queue's attempts on one UTC day.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Processed">Attempts that succeeded.</param>
/// <param name="Failed">Attempts that failed, retried or not.</param>
public sealed record DailyTotals(DateOnly Day, long Processed, long Failed)
{
    /// <summary>How many days the stores keep daily counters.</summary>
    public const int MaxDays = 30;

    /// <summary>The check every store applies to a daily-totals request.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is not within 1-<see cref="MaxDays"/>.</exception>
    public static void Validate(int days)
    {
        if (days is < 1 or > MaxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, $"Daily totals cover 1-{MaxDays} days, but {days} were asked for.");
        }
    }
}
