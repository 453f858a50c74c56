using TaskQueue.Scheduling;

namespace TaskQueue.Storage;

/// <summary>
/// Recurring schedules in memory, under the store's one lock, so advancing a schedule and enqueueing its occurrence
/// are one atomic step exactly as in <c>advance_schedule.lua</c>. Due-ness is judged by the store's <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class InMemoryJobStore : IScheduleStore
{
    private readonly Dictionary<string, InMemoryScheduleRecord> _schedules = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask<DateTimeOffset> GetTimeAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_time.GetUtcNow());

    /// <inheritdoc/>
    public ValueTask<ScheduleState> UpsertScheduleAsync(RecurringSchedule schedule, DateTimeOffset nextDueAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        schedule.Validate();
        lock (_gate)
        {
            if (_schedules.TryGetValue(schedule.Name, out var record))
            {
                var sameTimes = record.Schedule.Cron == schedule.Cron && record.Schedule.TimeZone == schedule.TimeZone && record.Schedule.Queue == schedule.Queue;
                record.Schedule = schedule;
                if (!sameTimes)
                {
                    record.NextDueAt = nextDueAt;
                }
            }
            else
            {
                record = new InMemoryScheduleRecord { Schedule = schedule, NextDueAt = nextDueAt };
                _schedules.Add(schedule.Name, record);
            }

            return ValueTask.FromResult(record.ToState());
        }
    }

    /// <inheritdoc/>
    public ValueTask<ScheduleState?> GetScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_schedules.TryGetValue(name, out var record) ? record.ToState() : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ScheduleState>> ListSchedulesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var states = _schedules.Values.Select(r => r.ToState()).OrderBy(s => s.Schedule.Name, StringComparer.Ordinal).ToList();
            return ValueTask.FromResult<IReadOnlyList<ScheduleState>>(states);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_schedules.Remove(name));
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> PauseScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_schedules.TryGetValue(name, out var record))
            {
                return ValueTask.FromResult(false);
            }

            record.Paused = true;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> ResumeScheduleAsync(string name, DateTimeOffset nextDueAt, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_schedules.TryGetValue(name, out var record) || !record.Paused)
            {
                return ValueTask.FromResult(false);
            }

            record.Paused = false;
            record.NextDueAt = nextDueAt;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> ListScheduleQueuesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var queues = _schedules.Values.Select(r => r.Schedule.Queue).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return ValueTask.FromResult<IReadOnlyList<string>>(queues);
        }
    }

    /// <inheritdoc/>
    public ValueTask<DueSchedules> GetDueSchedulesAsync(string queue, int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var due = new List<ScheduleState>();
            DateTimeOffset? next = null;
            foreach (var record in _schedules.Values.Where(r => r.Schedule.Queue == queue && !r.Paused).OrderBy(r => r.NextDueAt))
            {
                if (record.NextDueAt > now)
                {
                    next = record.NextDueAt;
                    break;
                }

                if (due.Count < max)
                {
                    due.Add(record.ToState());
                }
            }

            return ValueTask.FromResult(new DueSchedules(now, due, next));
        }
    }

    /// <inheritdoc/>
    public ValueTask<ScheduleAdvanceOutcome> AdvanceScheduleAsync(ScheduleAdvance advance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(advance);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_schedules.TryGetValue(advance.Name, out var record) || record.Paused || record.Schedule.Queue != advance.Queue
                || record.NextDueAt != advance.ExpectedDueAt || advance.ExpectedDueAt > now || advance.NextDueAt <= advance.ExpectedDueAt)
            {
                return ValueTask.FromResult(ScheduleAdvanceOutcome.Conflict);
            }

            var schedule = record.Schedule;
            record.NextDueAt = advance.NextDueAt;
            record.Skipped += advance.SkippedCount;
            if (advance.Occurrences.Count > 0)
            {
                record.LastDueAt = advance.Occurrences[^1];
            }

            if (schedule.Overlap == OverlapPolicy.SkipIfRunning && record.LastJobId is { } last && IsUnfinishedLocked(schedule.Queue, last))
            {
                record.Skipped += advance.Occurrences.Count;
                return ValueTask.FromResult(ScheduleAdvanceOutcome.SkippedOverlap);
            }

            foreach (var due in advance.Occurrences)
            {
                var id = OccurrenceIds.For(schedule.Name, due);
                EnqueueLocked(
                    new NewJob
                    {
                        Id = id,
                        Name = schedule.JobName,
                        Queue = schedule.Queue,
                        Priority = schedule.Priority,
                        Payload = schedule.Payload,
                        MaxRetries = schedule.MaxRetries,
                        Timeout = schedule.Timeout,
                    },
                    now);
                record.LastJobId = id;
            }

            return ValueTask.FromResult(ScheduleAdvanceOutcome.Advanced);
        }
    }

    private bool IsUnfinishedLocked(string queue, JobId id)
        => _queues.TryGetValue(queue, out var q) && q.Jobs.TryGetValue(id, out var job)
            && job.State is JobState.Pending or JobState.Scheduled or JobState.Active;
}
