using TaskQueue.Scheduling;

namespace TaskQueue.Storage;

/// <summary>One schedule as the in-memory store keeps it; only touched under the store's lock.</summary>
internal sealed class InMemoryScheduleRecord
{
    public required RecurringSchedule Schedule { get; set; }

    public DateTimeOffset NextDueAt { get; set; }

    public bool Paused { get; set; }

    public DateTimeOffset? LastDueAt { get; set; }

    public JobId? LastJobId { get; set; }

    public long Skipped { get; set; }

    public ScheduleState ToState() => new()
    {
        Schedule = Schedule,
        NextDueAt = Paused ? null : NextDueAt,
        Paused = Paused,
        LastDueAt = LastDueAt,
        LastJobId = LastJobId,
        Skipped = Skipped,
    };
}
