namespace TaskQueue.Scheduling;

/// <summary>The outcome of a <see cref="ScheduleAdvance"/>.</summary>
public enum ScheduleAdvanceOutcome
{
    /// <summary>The schedule advanced and its occurrences were enqueued.</summary>
    Advanced = 0,

    /// <summary>The schedule advanced, but the occurrence was skipped because the previous one has not finished.</summary>
    SkippedOverlap = 1,

    /// <summary>Nothing changed: another scheduler advanced it first, or it was paused, changed, deleted or is not due.</summary>
    Conflict = 2,
}
