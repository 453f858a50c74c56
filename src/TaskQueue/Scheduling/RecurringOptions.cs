namespace TaskQueue.Scheduling;

/// <summary>Per-schedule settings of a dynamic schedule (<c>Jobs.X.ScheduleRecurringAsync(...)</c>); null values take the job's defaults.</summary>
public sealed record RecurringOptions
{
    /// <summary>The time zone the cron expression is read in (IANA or Windows id); UTC by default.</summary>
    public string? TimeZone { get; init; }

    /// <summary>What happens to occurrences missed while no scheduler ran. Default <see cref="MisfirePolicy.RunOnce"/>.</summary>
    public MisfirePolicy Misfire { get; init; } = MisfirePolicy.RunOnce;

    /// <summary>With <see cref="MisfirePolicy.RunAll"/>: the most missed occurrences run in one catch-up. Default 10.</summary>
    public int MaxCatchUp { get; init; } = 10;

    /// <summary>Whether an occurrence runs while the previous one has not finished. Default <see cref="OverlapPolicy.Allow"/>.</summary>
    public OverlapPolicy Overlap { get; init; } = OverlapPolicy.Allow;

    /// <summary>The queue instead of the job's.</summary>
    public string? Queue { get; init; }

    /// <summary>The priority instead of the job's.</summary>
    public Priority? Priority { get; init; }

    /// <summary>The per-attempt timeout instead of the job's.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The schedule for <paramref name="job"/> with these options.</summary>
    public RecurringSchedule ToSchedule(JobDefinition job, string name, string cron, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new RecurringSchedule
        {
            Name = name,
            Cron = cron,
            TimeZone = TimeZone ?? "UTC",
            JobName = job.Name,
            Queue = Queue ?? job.Queue,
            Priority = Priority ?? job.Priority,
            MaxRetries = job.MaxRetries,
            Timeout = Timeout ?? job.Timeout,
            Payload = payload,
            Misfire = Misfire,
            MaxCatchUp = MaxCatchUp,
            Overlap = Overlap,
        };
    }
}
