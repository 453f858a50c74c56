using TaskQueue.Admin;

namespace TaskQueue.Storage;

/// <content>What operators see and do (<see cref="IJobAdmin"/>): queues, job pages, actions on jobs, daily totals, status.</content>
public sealed partial class InMemoryJobStore : IJobAdmin
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<QueueStats>> ListQueuesAsync(CancellationToken cancellationToken = default)
    {
        List<string> names;
        lock (_gate)
        {
            names = [.. _queues.Values.Where(q => q.HasReceivedJobs).Select(q => q.Name)];
        }

        names.Sort(StringComparer.Ordinal);
        var stats = new List<QueueStats>(names.Count);
        foreach (var name in names)
        {
            stats.Add(await GetQueueStatsAsync(name, cancellationToken).ConfigureAwait(false));
        }

        return stats;
    }

    /// <inheritdoc/>
    public ValueTask<JobPage> ListJobsAsync(string queue, JobListState state, int offset, int count, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        JobPage.Validate(offset, count);
        lock (_gate)
        {
            if (!_queues.TryGetValue(queue, out var q))
            {
                return ValueTask.FromResult(new JobPage { Jobs = [], Total = 0, Offset = offset });
            }

            PurgeFinishedLocked(q, _time.GetUtcNow());
            IEnumerable<InMemoryJobRecord> all = state switch
            {
                JobListState.Pending => q.Ready.SelectMany(list => list),
                JobListState.Scheduled => q.Scheduled.Where(r => !r.IsRetry),
                JobListState.Retrying => q.Scheduled.Where(r => r.IsRetry),
                JobListState.Running => q.Active.Values.OrderBy(r => r.LeaseDeadline).ThenBy(r => r.Id.Value, StringComparer.Ordinal),
                JobListState.Dead => q.Dead.Reverse(),
                JobListState.Succeeded => Kept(q, JobState.Succeeded),
                JobListState.Cancelled => Kept(q, JobState.Cancelled),
                _ => throw new ArgumentOutOfRangeException(nameof(state), state, $"Listing jobs of queue '{queue}': unknown state {(int)state}."),
            };
            var total = all.LongCount();
            var page = all.Skip(offset).Take(count).Select(r => r.ToInfo()).ToList();
            return ValueTask.FromResult(new JobPage { Jobs = page, Total = total, Offset = offset });
        }

        // Finished jobs newest first, without those deleted since they finished.
        static IEnumerable<InMemoryJobRecord> Kept(InMemoryQueue q, JobState state)
            => q.Finished.Reverse().Where(r => r.State == state && q.Jobs.TryGetValue(r.Id, out var current) && ReferenceEquals(current, r));
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteJobAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));

        // A running job is cancelled first, so its handler's token fires; pending and scheduled ones just disappear.
        await CancelAsync(queue, id, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_queues.TryGetValue(queue, out var q) || !q.Jobs.Remove(id, out var record))
            {
                return false;
            }

            if (record.State == JobState.Dead)
            {
                q.Dead.Remove(record);
            }

            ReleaseUniqueKeyLocked(q, record);
            return true;
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> RunNowAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        lock (_gate)
        {
            if (!_queues.TryGetValue(queue, out var q) || !q.Jobs.TryGetValue(id, out var record) || record.State != JobState.Scheduled)
            {
                return ValueTask.FromResult(false);
            }

            q.Scheduled.Remove(record);
            PushReadyLocked(q, record, atFront: false);
            q.Signal();
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> RequeueDeadLettersAsync(string queue, DeadLetterFilter filter, CancellationToken cancellationToken = default)
        => ForDeadLetters(queue, filter, RequeueDeadLocked, signal: true);

    /// <inheritdoc/>
    public ValueTask<long> DeleteDeadLettersAsync(string queue, DeadLetterFilter filter, CancellationToken cancellationToken = default)
        => ForDeadLetters(queue, filter, static (q, record) =>
        {
            q.Dead.Remove(record);
            q.Jobs.Remove(record.Id);
        }, signal: false);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<DailyTotals>> GetDailyTotalsAsync(string queue, int days, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        DailyTotals.Validate(days);
        lock (_gate)
        {
            var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
            _queues.TryGetValue(queue, out var q);
            var totals = new List<DailyTotals>(days);
            for (var day = today.AddDays(1 - days); day <= today; day = day.AddDays(1))
            {
                var counters = q?.CountersOn(day);
                totals.Add(new DailyTotals(day, counters?.Processed ?? 0, counters?.Failed ?? 0));
            }

            return ValueTask.FromResult<IReadOnlyList<DailyTotals>>(totals);
        }
    }

    /// <inheritdoc/>
    public ValueTask<StoreStatus> GetStatusAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(new StoreStatus { Kind = "in-memory", Available = true, RoundTrip = TimeSpan.Zero });

    /// <summary>Applies <paramref name="act"/> to the queue's matching dead letters, oldest first (the order they died); returns how many.</summary>
    private ValueTask<long> ForDeadLetters(string queue, DeadLetterFilter filter, Action<InMemoryQueue, InMemoryJobRecord> act, bool signal)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        ArgumentNullException.ThrowIfNull(filter);
        lock (_gate)
        {
            if (!_queues.TryGetValue(queue, out var q))
            {
                return ValueTask.FromResult(0L);
            }

            var matching = q.Dead.Where(r => Matches(filter, r)).ToList();
            foreach (var record in matching)
            {
                act(q, record);
            }

            if (signal && matching.Count > 0)
            {
                q.Signal();
            }

            return ValueTask.FromResult((long)matching.Count);
        }
    }

    private static bool Matches(DeadLetterFilter filter, InMemoryJobRecord record)
        => (filter.JobName is null || string.Equals(filter.JobName, record.Name, StringComparison.Ordinal))
           && (filter.ErrorContains is null || (record.LastError?.Contains(filter.ErrorContains, StringComparison.Ordinal) ?? false));
}
