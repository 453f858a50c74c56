using StackExchange.Redis;
using TaskQueue.Scheduling;

namespace TaskQueue.Redis;

/// <summary>
/// Recurring schedules. A schedule's hash and its queue's due set live under the queue's hash tag, beside the jobs
/// it enqueues, so <c>schedule_advance.lua</c> advances it and enqueues the occurrence in one slot and one atomic step.
/// The name-to-queue registry and the set of queues with schedules are in the registry slot, written separately and idempotently.
/// </summary>
public sealed partial class RedisJobStore : IScheduleStore
{
    /// <summary>
    /// Test seam: when set, schedule scripts take "now" from this clock instead of Redis <c>TIME</c>, so tests can
    /// simulate a day in seconds. Never set in production (due-ness must be judged by one clock, the server's).
    /// </summary>
    internal Func<DateTimeOffset>? ScheduleClockOverride { get; set; }

    private RedisValue ClockArg => ScheduleClockOverride is { } clock ? clock().ToUnixTimeMilliseconds() : RedisValue.EmptyString;

    /// <inheritdoc/>
    public async ValueTask<DateTimeOffset> GetTimeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ms = (long)await EvalAsync(RedisScripts.ScheduleTime, [], [ClockArg], () => "read the server's clock").ConfigureAwait(false);
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    /// <inheritdoc/>
    public async ValueTask<ScheduleState> UpsertScheduleAsync(RecurringSchedule schedule, DateTimeOffset nextDueAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        schedule.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        await MoveOutOfOtherQueueAsync(schedule.Name, schedule.Queue).ConfigureAwait(false);
        await RegisterScheduleAsync(schedule.Name, schedule.Queue).ConfigureAwait(false);
        var queueKeys = _keys.For(schedule.Queue);
        var reply = (RedisResult[])(await EvalAsync(
            RedisScripts.ScheduleUpsert,
            [queueKeys.Schedule(schedule.Name), queueKeys.ScheduleDue],
            RedisScheduleHash.DefinitionArgs(schedule, nextDueAt.ToUnixTimeMilliseconds()),
            () => $"save schedule '{schedule.Name}'").ConfigureAwait(false))!;
        return RedisScheduleHash.Read(schedule.Name, schedule.Queue, reply)!;
    }

    /// <inheritdoc/>
    public async ValueTask<ScheduleState?> GetScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var db = await DbAsync().ConfigureAwait(false);
            var queue = await db.HashGetAsync(_keys.Schedules, name).ConfigureAwait(false);
            if (queue.IsNull)
            {
                return null;
            }

            var entries = await db.HashGetAllAsync(_keys.For(queue.ToString()).Schedule(name)).ConfigureAwait(false);
            return RedisScheduleHash.Read(name, queue.ToString(), entries);
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed($"read schedule '{name}'", ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ScheduleState>> ListSchedulesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var db = await DbAsync().ConfigureAwait(false);
            var registry = await db.HashGetAllAsync(_keys.Schedules).ConfigureAwait(false);
            // All reads sent before any is awaited: one round trip for the lot.
            var reads = registry.Select(e => (Name: e.Name.ToString(), Queue: e.Value.ToString(), Read: db.HashGetAllAsync(_keys.For(e.Value.ToString()).Schedule(e.Name.ToString())))).ToList();
            var states = new List<ScheduleState>(reads.Count);
            foreach (var (name, queue, read) in reads)
            {
                if (RedisScheduleHash.Read(name, queue, await read.ConfigureAwait(false)) is { } state)
                {
                    states.Add(state);
                }
            }

            states.Sort((a, b) => string.CompareOrdinal(a.Schedule.Name, b.Schedule.Name));
            return states;
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed("list schedules", ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        var deleted = await ChangeStateAsync(name, "delete", RedisValue.EmptyString, cancellationToken).ConfigureAwait(false);
        try
        {
            // After the schedule itself: a failure here leaves a registry entry that names nothing (listed as absent).
            await (await DbAsync().ConfigureAwait(false)).HashDeleteAsync(_keys.Schedules, name).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed($"unregister schedule '{name}'", ex);
        }

        return deleted;
    }

    /// <inheritdoc/>
    public ValueTask<bool> PauseScheduleAsync(string name, CancellationToken cancellationToken = default)
        => ChangeStateAsync(name, "pause", RedisValue.EmptyString, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> ResumeScheduleAsync(string name, DateTimeOffset nextDueAt, CancellationToken cancellationToken = default)
        => ChangeStateAsync(name, "resume", nextDueAt.ToUnixTimeMilliseconds(), cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<string>> ListScheduleQueuesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var members = await (await DbAsync().ConfigureAwait(false)).SetMembersAsync(_keys.ScheduleQueues).ConfigureAwait(false);
            return members.Select(m => m.ToString()).Where(JobNames.IsValidQueueName).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed("list the queues with schedules", ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<DueSchedules> GetDueSchedulesAsync(string queue, int max, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        var reply = (RedisResult[])(await EvalAsync(
            RedisScripts.ScheduleDue,
            [queueKeys.ScheduleDue],
            [queueKeys.Schedule(string.Empty).ToString(), max, ClockArg],
            () => $"read the due schedules of queue '{queue}'").ConfigureAwait(false))!;
        var now = DateTimeOffset.FromUnixTimeMilliseconds((long)reply[0]);
        DateTimeOffset? next = reply[1].IsNull || reply[1].ToString().Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)reply[1]);
        var due = new List<ScheduleState>((reply.Length - 2) / 2);
        for (var i = 2; i + 1 < reply.Length; i += 2)
        {
            if (RedisScheduleHash.Read(reply[i].ToString(), queue, (RedisResult[])reply[i + 1]!) is { } state)
            {
                due.Add(state);
            }
        }

        return new DueSchedules(now, due, next);
    }

    /// <inheritdoc/>
    public async ValueTask<ScheduleAdvanceOutcome> AdvanceScheduleAsync(ScheduleAdvance advance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(advance);
        ValidQueue(advance.Queue);
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(advance.Queue);
        var args = new RedisValue[8 + (2 * advance.Occurrences.Count)];
        args[0] = queueKeys.JobPrefix;
        args[1] = advance.Queue;
        args[2] = _keys.WorkSignalChannelName;
        args[3] = advance.Name;
        args[4] = advance.ExpectedDueAt.ToUnixTimeMilliseconds();
        args[5] = advance.NextDueAt.ToUnixTimeMilliseconds();
        args[6] = advance.SkippedCount;
        args[7] = ClockArg;
        var a = 8;
        foreach (var due in advance.Occurrences)
        {
            args[a++] = OccurrenceIds.For(advance.Name, due).Value;
            args[a++] = due.ToUnixTimeMilliseconds();
        }

        RedisKey[] keys =
        [
            queueKeys.Ready(Priority.Critical), queueKeys.Ready(Priority.High), queueKeys.Ready(Priority.Normal), queueKeys.Ready(Priority.Low),
            queueKeys.Schedule(advance.Name), queueKeys.ScheduleDue,
        ];
        RegisterQueueOnce(await DbAsync().ConfigureAwait(false), advance.Queue);
        var outcome = (int)await EvalAsync(RedisScripts.ScheduleAdvance, keys, args, () => $"advance schedule '{advance.Name}'").ConfigureAwait(false);
        return (ScheduleAdvanceOutcome)outcome;
    }

    private async ValueTask<bool> ChangeStateAsync(string name, string operation, RedisValue nextDueMs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        RedisValue queue;
        try
        {
            queue = await (await DbAsync().ConfigureAwait(false)).HashGetAsync(_keys.Schedules, name).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed($"{operation} schedule '{name}'", ex);
        }

        if (queue.IsNull)
        {
            return false;
        }

        var queueKeys = _keys.For(queue.ToString());
        var done = (int)await EvalAsync(
            RedisScripts.ScheduleState,
            [queueKeys.Schedule(name), queueKeys.ScheduleDue],
            [operation, name, nextDueMs],
            () => $"{operation} schedule '{name}'").ConfigureAwait(false);
        return done == 1;
    }

    /// <summary>
    /// A schedule lives in its queue's slot: when an upsert names another queue than the registry has, the old queue's
    /// schedule is deleted first, so it can never go on firing there.
    /// </summary>
    private async Task MoveOutOfOtherQueueAsync(string name, string queue)
    {
        RedisValue previous;
        try
        {
            previous = await (await DbAsync().ConfigureAwait(false)).HashGetAsync(_keys.Schedules, name).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed($"read schedule '{name}'", ex);
        }

        if (!previous.IsNull && previous.ToString() != queue)
        {
            var old = _keys.For(previous.ToString());
            await EvalAsync(RedisScripts.ScheduleState, [old.Schedule(name), old.ScheduleDue], ["delete", name, RedisValue.EmptyString], () => $"move schedule '{name}' out of queue '{previous}'").ConfigureAwait(false);
        }
    }

    /// <summary>Writes the name-to-queue registry entry and the queue's membership of the scheduling queues (registry slot, idempotent).</summary>
    private async Task RegisterScheduleAsync(string name, string queue)
    {
        try
        {
            var db = await DbAsync().ConfigureAwait(false);
            var entry = db.HashSetAsync(_keys.Schedules, name, queue);
            await db.SetAddAsync(_keys.ScheduleQueues, queue).ConfigureAwait(false);
            await entry.ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed($"register schedule '{name}'", ex);
        }
    }
}
