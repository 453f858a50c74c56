namespace TaskQueue.Admin;

/// <summary>A queue's attempts on one UTC day.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Processed">Attempts that succeeded.</param>
/// <param name="Failed">Attempts that failed, retried or not.</param>
public sealed record DailyTotals(DateOnly Day, long Processed, long Failed)
{
    /// <summary>How many days the stores keep daily counters.</summary>
    public const int MaxDays = 30;
}
