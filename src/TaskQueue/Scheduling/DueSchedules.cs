namespace TaskQueue.Scheduling;

/// <summary>What a scheduler pass reads of one queue in one call: the store's clock, the due schedules and the next due instant.</summary>
/// <param name="Now">The store's clock when it read (due-ness is judged by it, never by a worker's clock).</param>
/// <param name="Due">Schedules whose next due instant is at or before <paramref name="Now"/> (at most the number asked for).</param>
/// <param name="NextDueAt">The earliest due instant after <paramref name="Now"/>, or null when none.</param>
public sealed record DueSchedules(DateTimeOffset Now, IReadOnlyList<ScheduleState> Due, DateTimeOffset? NextDueAt);
