namespace TaskQueue.Scheduling;

/// <summary>
/// One compare-and-set step of a schedule: if its stored next due instant is still <see cref="ExpectedDueAt"/> (and
/// that is due by the store's clock), enqueue <see cref="Occurrences"/> with their deterministic ids and set the next
/// due instant to <see cref="NextDueAt"/>, all atomically. Any number of schedulers may try the same step; one wins.
/// </summary>
public sealed record ScheduleAdvance
{
    /// <summary>The schedule's queue.</summary>
    public required string Queue { get; init; }

    /// <summary>The schedule's name.</summary>
    public required string Name { get; init; }

    /// <summary>The next due instant the scheduler read.</summary>
    public required DateTimeOffset ExpectedDueAt { get; init; }

    /// <summary>The due instants to enqueue (none to skip them), each at or before the store's clock.</summary>
    public required IReadOnlyList<DateTimeOffset> Occurrences { get; init; }

    /// <summary>The new next due instant, after <see cref="ExpectedDueAt"/>.</summary>
    public required DateTimeOffset NextDueAt { get; init; }

    /// <summary>How many missed occurrences this step skips (counted on the schedule).</summary>
    public int SkippedCount { get; init; }
}
