namespace TaskQueue.Scheduling;

/// <summary>
/// Decides the next compare-and-set step of a due schedule: which occurrences to enqueue and where the schedule goes
/// next. Pure (cron in .NET, the store's "now" passed in), so every scheduler that reads the same state plans the same step.
/// </summary>
internal static class OccurrencePlanner
{
    /// <summary>A due instant for "no occurrence remains" (the cron can never match again): year 9999.</summary>
    public static readonly DateTimeOffset Never = DateTimeOffset.FromUnixTimeMilliseconds(253_402_300_799_000);

    /// <summary>Bounds the count of missed occurrences (only reported; a week of a per-second schedule is 604,800).</summary>
    private const int MaxCounted = 1_000_000;

    /// <summary>The step for <paramref name="state"/> at store time <paramref name="now"/>, or null when it is not due.</summary>
    /// <exception cref="ArgumentException">The stored cron or time zone does not parse here.</exception>
    public static ScheduleAdvance? Plan(ScheduleState state, DateTimeOffset now, TimeSpan misfireThreshold)
    {
        if (state.Paused || state.NextDueAt is not { } expected || expected > now)
        {
            return null;
        }

        var schedule = state.Schedule;
        var cron = CronSchedule.Parse(schedule.Name, schedule.Cron, schedule.TimeZone);
        var cutoff = now - misfireThreshold;
        if (expected >= cutoff)
        {
            // On time (or late by less than the threshold): this occurrence runs, whatever the misfire policy.
            return new ScheduleAdvance
            {
                Queue = schedule.Queue,
                Name = schedule.Name,
                ExpectedDueAt = expected,
                Occurrences = [expected],
                NextDueAt = cron.Next(expected) ?? Never,
            };
        }

        // A misfire: occurrences from 'expected' up to the cutoff were missed. The schedule resumes at the first
        // occurrence at or after the cutoff, which the next step runs as an on-time one.
        var missed = new List<DateTimeOffset>();
        var take = schedule.Misfire switch
        {
            MisfirePolicy.RunAll => schedule.MaxCatchUp,
            MisfirePolicy.RunOnce => 1,
            _ => 0,
        };
        var count = 0;
        for (DateTimeOffset? at = expected; at is { } a && a < cutoff && count < MaxCounted; at = cron.Next(a))
        {
            if (missed.Count < take)
            {
                missed.Add(a);
            }

            count++;
        }

        return new ScheduleAdvance
        {
            Queue = schedule.Queue,
            Name = schedule.Name,
            ExpectedDueAt = expected,
            Occurrences = missed,
            NextDueAt = cron.Next(cutoff, inclusive: true) ?? Never,
            SkippedCount = count - missed.Count,
        };
    }
}
