using TaskQueue.Storage;

namespace TaskQueue.Scheduling;

/// <summary>The <see cref="IRecurringJobClient"/> over a store that implements <see cref="IScheduleStore"/>.</summary>
public sealed class RecurringJobClient : IRecurringJobClient
{
    private static IRecurringJobClient? s_default;
    private readonly IScheduleStore _schedules;
    private readonly IJobStore? _jobs;

    /// <summary>Creates a client over <paramref name="store"/> (a job store that also stores schedules).</summary>
    /// <exception cref="ArgumentException">The store does not implement <see cref="IScheduleStore"/>.</exception>
    public RecurringJobClient(IJobStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _schedules = store as IScheduleStore
            ?? throw new ArgumentException($"The job store {store.GetType().Name} does not store recurring schedules (IScheduleStore).", nameof(store));
        _jobs = store;
    }

    /// <summary>
    /// The client generated <c>ScheduleRecurringAsync</c> proxies use when none is passed; <c>AddTaskQueue</c> sets it
    /// when the host builds its services.
    /// </summary>
    /// <exception cref="InvalidOperationException">Read before any client was configured.</exception>
    public static IRecurringJobClient Default
    {
        get => Volatile.Read(ref s_default) ?? throw new InvalidOperationException(
            "No default TaskQueue recurring-job client is configured. Call services.AddTaskQueue(...) and build the host "
            + "(or resolve IRecurringJobClient), or set TaskQueue.Scheduling.RecurringJobClient.Default, or pass a client explicitly.");
        set => Volatile.Write(ref s_default, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <inheritdoc/>
    public async ValueTask<ScheduleInfo> UpsertAsync(RecurringSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        schedule.Validate();
        var now = await _schedules.GetTimeAsync(cancellationToken).ConfigureAwait(false);
        var next = CronSchedule.Parse(schedule.Name, schedule.Cron, schedule.TimeZone).Next(now) ?? OccurrencePlanner.Never;
        var state = await _schedules.UpsertScheduleAsync(schedule, next, cancellationToken).ConfigureAwait(false);
        return await ToInfoAsync(state, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<ScheduleInfo?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var state = await _schedules.GetScheduleAsync(name, cancellationToken).ConfigureAwait(false);
        return state is null ? null : await ToInfoAsync(state, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ScheduleInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var states = await _schedules.ListSchedulesAsync(cancellationToken).ConfigureAwait(false);
        var infos = new List<ScheduleInfo>(states.Count);
        foreach (var state in states)
        {
            infos.Add(await ToInfoAsync(state, cancellationToken).ConfigureAwait(false));
        }

        return infos;
    }

    /// <inheritdoc/>
    public ValueTask<bool> PauseAsync(string name, CancellationToken cancellationToken = default)
        => _schedules.PauseScheduleAsync(name, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<bool> ResumeAsync(string name, CancellationToken cancellationToken = default)
    {
        var state = await _schedules.GetScheduleAsync(name, cancellationToken).ConfigureAwait(false);
        if (state is null || !state.Paused)
        {
            return false;
        }

        var now = await _schedules.GetTimeAsync(cancellationToken).ConfigureAwait(false);
        var schedule = state.Schedule;
        var next = CronSchedule.Parse(schedule.Name, schedule.Cron, schedule.TimeZone).Next(now) ?? OccurrencePlanner.Never;
        return await _schedules.ResumeScheduleAsync(name, next, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
        => _schedules.DeleteScheduleAsync(name, cancellationToken);

    /// <summary>
    /// Registers the schedules an application declares (<c>[Job(Cron = ...)]</c>, <c>[Recurring(...)]</c>), each marked
    /// <see cref="RecurringSchedule.DeclaredBy"/> <paramref name="application"/>, and retires (deletes) the schedules that
    /// application declared before and declares no more. Unchanged schedules are not written. Returns the names retired.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>> SyncDeclaredAsync(string application, IEnumerable<RecurringSchedule> declared, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(application);
        ArgumentNullException.ThrowIfNull(declared);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var schedule in declared)
        {
            var marked = schedule with { DeclaredBy = application };
            names.Add(marked.Name);
            var existing = await _schedules.GetScheduleAsync(marked.Name, cancellationToken).ConfigureAwait(false);
            if (existing is null || !existing.Schedule.Equals(marked))
            {
                await UpsertAsync(marked, cancellationToken).ConfigureAwait(false);
            }
        }

        var retired = new List<string>();
        foreach (var state in await _schedules.ListSchedulesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (state.Schedule.DeclaredBy == application && !names.Contains(state.Schedule.Name)
                && await _schedules.DeleteScheduleAsync(state.Schedule.Name, cancellationToken).ConfigureAwait(false))
            {
                retired.Add(state.Schedule.Name);
            }
        }

        return retired;
    }

    private async ValueTask<ScheduleInfo> ToInfoAsync(ScheduleState state, CancellationToken cancellationToken)
    {
        JobState? outcome = null;
        if (state.LastJobId is { } id && _jobs is not null)
        {
            outcome = (await _jobs.GetJobAsync(state.Schedule.Queue, id, cancellationToken).ConfigureAwait(false))?.State;
        }

        return new ScheduleInfo { State = state, LastOutcome = outcome };
    }
}
