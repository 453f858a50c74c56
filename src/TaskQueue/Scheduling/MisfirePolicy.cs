namespace TaskQueue.Scheduling;

/// <summary>
/// What a schedule does with occurrences that fell due while no scheduler ran (a misfire: an occurrence more than
/// <see cref="RecurringSchedulerOptions.MisfireThreshold"/> late). Occurrences less late than that always run.
/// </summary>
public enum MisfirePolicy
{
    /// <summary>One catch-up run for all the missed occurrences (the default), then the schedule carries on.</summary>
    RunOnce = 0,

    /// <summary>Every missed occurrence runs, oldest first, at most <see cref="RecurringSchedule.MaxCatchUp"/>; the rest are skipped.</summary>
    RunAll = 1,

    /// <summary>Missed occurrences are skipped; the schedule carries on with the next one.</summary>
    Skip = 2,
}
