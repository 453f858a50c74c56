using TaskQueue.Storage;

namespace TaskQueue.Scheduling;

/// <summary>A schedule as <see cref="RecurringJobClient.ListAsync"/> shows it: its state and its last occurrence's outcome.</summary>
public sealed record ScheduleInfo
{
    /// <summary>The stored schedule.</summary>
    public required ScheduleState State { get; init; }

    /// <summary>The last occurrence's job state, or null when there was none or it expired.</summary>
    public JobState? LastOutcome { get; init; }

    /// <summary>The schedule's name.</summary>
    public string Name => State.Schedule.Name;

    /// <summary>When the next occurrence falls due (null while paused).</summary>
    public DateTimeOffset? NextDueAt => State.NextDueAt;

    /// <summary>When the last occurrence fell due.</summary>
    public DateTimeOffset? LastDueAt => State.LastDueAt;

    /// <summary>The last occurrence's job id.</summary>
    public JobId? LastJobId => State.LastJobId;
}
