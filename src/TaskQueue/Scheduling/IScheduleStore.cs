namespace TaskQueue.Scheduling;

/// <summary>
/// Storage of recurring schedules, beside <see cref="Storage.IJobStore"/> (both stores implement both). A schedule lives
/// in its queue's part of the store, so advancing it and enqueueing its occurrence is one atomic step
/// (<see cref="AdvanceScheduleAsync"/>): an occurrence is enqueued exactly once however many schedulers run.
/// </summary>
/// <remarks>Every instant is judged by the store's clock (<see cref="GetTimeAsync"/>), never by a worker's.</remarks>
public interface IScheduleStore
{
    /// <summary>The store's clock.</summary>
    ValueTask<DateTimeOffset> GetTimeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces the schedule named <see cref="RecurringSchedule.Name"/> in its queue. When it existed with the
    /// same cron expression and time zone, its next due instant and last occurrence are kept (re-registering a declared
    /// schedule at start-up changes nothing and loses no misfire); otherwise the next due instant becomes
    /// <paramref name="nextDueAt"/>. A schedule moved to another queue leaves the old one (it never fires there again).
    /// A paused schedule stays paused. Returns the stored state.
    /// </summary>
    ValueTask<ScheduleState> UpsertScheduleAsync(RecurringSchedule schedule, DateTimeOffset nextDueAt, CancellationToken cancellationToken = default);

    /// <summary>Reads one schedule, or null when none has that name.</summary>
    ValueTask<ScheduleState?> GetScheduleAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every schedule, by name.</summary>
    ValueTask<IReadOnlyList<ScheduleState>> ListSchedulesAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a schedule (no further occurrence is enqueued); false when none has that name.</summary>
    ValueTask<bool> DeleteScheduleAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Pauses a schedule; false when none has that name.</summary>
    ValueTask<bool> PauseScheduleAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused schedule with its next occurrence at <paramref name="nextDueAt"/>; false when none has that name or it was not paused.</summary>
    ValueTask<bool> ResumeScheduleAsync(string name, DateTimeOffset nextDueAt, CancellationToken cancellationToken = default);

    /// <summary>The queues that hold schedules.</summary>
    ValueTask<IReadOnlyList<string>> ListScheduleQueuesAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the store's clock, up to <paramref name="max"/> due schedules of the queue, and the next due instant, in one call.</summary>
    ValueTask<DueSchedules> GetDueSchedulesAsync(string queue, int max, CancellationToken cancellationToken = default);

    /// <summary>Applies one compare-and-set step (see <see cref="ScheduleAdvance"/>) atomically.</summary>
    ValueTask<ScheduleAdvanceOutcome> AdvanceScheduleAsync(ScheduleAdvance advance, CancellationToken cancellationToken = default);
}
