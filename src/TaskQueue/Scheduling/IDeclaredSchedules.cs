namespace TaskQueue.Scheduling;

/// <summary>
/// Implemented by a generated job registry whose assembly declares recurring schedules (<c>[Job(Cron = ...)]</c>,
/// <c>[Recurring(...)]</c>); the host registers them at start-up.
/// </summary>
public interface IDeclaredSchedules
{
    /// <summary>The schedules the assembly declares (their <see cref="RecurringSchedule.DeclaredBy"/> is set by the host).</summary>
    IReadOnlyList<RecurringSchedule> DeclaredSchedules { get; }
}
