namespace TaskQueue.Scheduling;

/// <summary>
/// One recurring schedule: which job runs with which arguments on which cron expression, in which time zone.
/// Its <see cref="Name"/> is its identity: an upsert with the same name replaces it.
/// </summary>
public sealed record RecurringSchedule
{
    /// <summary>The schedule's unique name: 1-64 of A-Z a-z 0-9 - _ . : (the job name for <c>[Job(Cron = ...)]</c>).</summary>
    public required string Name { get; init; }

    /// <summary>A cron expression of 5 fields (minute precision) or 6 (seconds first), as Cronos parses it.</summary>
    public required string Cron { get; init; }

    /// <summary>The IANA or Windows time zone id the cron expression is read in; UTC by default.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The stored job name each occurrence runs.</summary>
    public required string JobName { get; init; }

    /// <summary>The queue each occurrence is enqueued on (also where the schedule is stored).</summary>
    public required string Queue { get; init; }

    /// <summary>The priority of each occurrence.</summary>
    public Priority Priority { get; init; } = Priority.Normal;

    /// <summary>Retries of each occurrence before it becomes a dead letter.</summary>
    public int MaxRetries { get; init; } = JobDefaults.MaxRetries;

    /// <summary>Per-attempt timeout of each occurrence, or null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The job's arguments as UTF-8 JSON, the same for every occurrence.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; } = "{}"u8.ToArray();

    /// <summary>What happens to occurrences missed while no scheduler ran.</summary>
    public MisfirePolicy Misfire { get; init; } = MisfirePolicy.RunOnce;

    /// <summary>With <see cref="MisfirePolicy.RunAll"/>: the most missed occurrences run in one catch-up (default 10).</summary>
    public int MaxCatchUp { get; init; } = 10;

    /// <summary>Whether an occurrence runs while the previous one has not finished.</summary>
    public OverlapPolicy Overlap { get; init; } = OverlapPolicy.Allow;

    /// <summary>
    /// For schedules declared with an attribute: the application that declared them (its host's application name).
    /// When that application starts without the declaration, it retires (deletes) the schedule. Null for schedules
    /// created through <see cref="RecurringJobClient"/>, which only a delete removes.
    /// </summary>
    public string? DeclaredBy { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the schedule when a field is invalid (cron and time zone included).</summary>
    public void Validate()
    {
        if (!JobNames.IsValidJobName(Name))
        {
            throw new ArgumentException($"Schedule name '{Name}' is not valid: use 1 to {JobNames.MaxLength} characters of A-Z, a-z, 0-9, '-', '_', '.' or ':'.", nameof(Name));
        }

        if (!JobNames.IsValidJobName(JobName))
        {
            throw new ArgumentException($"Schedule '{Name}': job name '{JobName}' is not valid.", nameof(JobName));
        }

        JobNames.ValidateQueueName(Queue, nameof(Queue));
        if (MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, $"Schedule '{Name}': MaxRetries must not be negative.");
        }

        if (Timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, $"Schedule '{Name}': the timeout must be positive.");
        }

        if (MaxCatchUp is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCatchUp), MaxCatchUp, $"Schedule '{Name}': MaxCatchUp must be 1 to 1000.");
        }

        _ = CronSchedule.Parse(Name, Cron, TimeZone);
    }

    /// <inheritdoc/>
    public bool Equals(RecurringSchedule? other)
        => other is not null
            && Name == other.Name && Cron == other.Cron && TimeZone == other.TimeZone && JobName == other.JobName
            && Queue == other.Queue && Priority == other.Priority && MaxRetries == other.MaxRetries && Timeout == other.Timeout
            && Payload.Span.SequenceEqual(other.Payload.Span) && Misfire == other.Misfire && MaxCatchUp == other.MaxCatchUp
            && Overlap == other.Overlap && DeclaredBy == other.DeclaredBy;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Cron, TimeZone, JobName, Queue);
}
