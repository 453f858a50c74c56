namespace TaskQueue.Scheduling;

/// <summary>
/// Creates, changes and removes recurring schedules. Generated proxies call it
/// (<c>Jobs.SendDigest.ScheduleRecurringAsync("digest-ada", "0 8 * * MON", ...)</c>); operators list, pause and delete.
/// </summary>
public interface IRecurringJobClient
{
    /// <summary>Creates the schedule or replaces the one with its name (see <see cref="IScheduleStore.UpsertScheduleAsync"/>).</summary>
    /// <exception cref="ArgumentException">A field is invalid; the message names the schedule (an invalid cron expression or unknown time zone included).</exception>
    ValueTask<ScheduleInfo> UpsertAsync(RecurringSchedule schedule, CancellationToken cancellationToken = default);

    /// <summary>Reads one schedule, or null.</summary>
    ValueTask<ScheduleInfo?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every schedule with its next and last run and the last occurrence's outcome.</summary>
    ValueTask<IReadOnlyList<ScheduleInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops enqueueing occurrences; false when none has that name.</summary>
    ValueTask<bool> PauseAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Resumes with the next occurrence from now (occurrences missed while paused are not run); false when not paused.</summary>
    ValueTask<bool> ResumeAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes the schedule; false when none has that name.</summary>
    ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}
