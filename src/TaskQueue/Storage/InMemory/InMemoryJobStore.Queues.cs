namespace TaskQueue.Storage;

/// <content>Pause/resume, statistics, the queue list and waiting for work.</content>
public sealed partial class InMemoryJobStore
{
    /// <inheritdoc/>
    public ValueTask PauseAsync(string queue, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        lock (_gate)
        {
            GetOrCreateQueueLocked(queue).Paused = true;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask ResumeAsync(string queue, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        lock (_gate)
        {
            var state = GetOrCreateQueueLocked(queue);
            state.Paused = false;
            state.Signal();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<QueueStats> GetQueueStatsAsync(string queue, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        lock (_gate)
        {
            if (!_queues.TryGetValue(queue, out var state))
            {
                return ValueTask.FromResult(new QueueStats { Queue = queue });
            }

            var now = _time.GetUtcNow();
            PurgeFinishedLocked(state, now);
            var today = state.CountersOn(DateOnly.FromDateTime(now.UtcDateTime));
            long retrying = 0;
            foreach (var record in state.Scheduled)
            {
                if (record.IsRetry)
                {
                    retrying++;
                }
            }

            return ValueTask.FromResult(new QueueStats
            {
                Queue = queue,
                Pending = state.ReadyCount,
                Scheduled = state.Scheduled.Count - retrying,
                Retrying = retrying,
                Active = state.Active.Count,
                Dead = state.Dead.Count,
                ProcessedToday = today.Processed,
                FailedToday = today.Failed,
                DeferredToday = today.Deferred,
                Paused = state.Paused,
            });
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Returns at once when a watched, unpaused queue has a ready or due job. Otherwise it waits for an enqueue,
    /// retry, requeue or resume on a watched queue, for the earliest scheduled job of those queues to fall due
    /// (on this store's <see cref="TimeProvider"/>), or for <paramref name="maxWait"/>.
    /// </remarks>
    public async ValueTask WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queues);
        cancellationToken.ThrowIfCancellationRequested();
        var waits = new Task[queues.Count + 1];
        var wait = maxWait;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            for (var i = 0; i < queues.Count; i++)
            {
                var state = GetOrCreateQueueLocked(JobNames.ValidateQueueName(queues[i], nameof(queues)));
                waits[i] = state.SignalTask;
                if (state.Paused)
                {
                    continue;
                }

                if (state.ReadyCount > 0)
                {
                    return;
                }

                if (state.Scheduled.Count > 0)
                {
                    var untilDue = state.Scheduled.Min!.DueAt - now;
                    if (untilDue <= TimeSpan.Zero)
                    {
                        return;
                    }

                    wait = untilDue < wait ? untilDue : wait;
                }
            }
        }

        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timerCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        waits[^1] = Task.Delay(wait, _time, timerCancel.Token);
        await Task.WhenAny(waits).ConfigureAwait(false);

        // Synchronously: the only callback is the delay's timer clean-up; awaiting CancelAsync adds a thread-pool hop before the fetch.
        timerCancel.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
