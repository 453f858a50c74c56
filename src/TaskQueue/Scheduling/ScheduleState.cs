namespace TaskQueue.Scheduling;

/// <summary>A stored schedule and where it stands: its next due instant and its last occurrence.</summary>
public sealed record ScheduleState
{
    /// <summary>The definition.</summary>
    public required RecurringSchedule Schedule { get; init; }

    /// <summary>The due instant of the next occurrence (the compare-and-set token of the schedule); null while paused.</summary>
    public DateTimeOffset? NextDueAt { get; init; }

    /// <summary>True while paused: no occurrence is enqueued.</summary>
    public bool Paused { get; init; }

    /// <summary>The due instant of the last occurrence handled (enqueued or skipped), or null.</summary>
    public DateTimeOffset? LastDueAt { get; init; }

    /// <summary>The job id of the last occurrence enqueued, or null.</summary>
    public JobId? LastJobId { get; init; }

    /// <summary>How many occurrences were skipped (misfire <see cref="MisfirePolicy.Skip"/>, the RunOnce/RunAll bound, or overlap).</summary>
    public long Skipped { get; init; }
}
