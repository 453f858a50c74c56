namespace TaskQueue.Storage;

/// <content>Requeueing, deleting and trimming dead letters one by one (filtered sets: the admin partial).</content>
public sealed partial class InMemoryJobStore
{
    /// <inheritdoc/>
    public ValueTask<bool> RequeueDeadLetterAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        lock (_gate)
        {
            if (!TryGetDeadLocked(queue, id, out var state, out var record))
            {
                return ValueTask.FromResult(false);
            }

            RequeueDeadLocked(state, record);
            state.Signal();
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteDeadLetterAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        lock (_gate)
        {
            if (!TryGetDeadLocked(queue, id, out var state, out var record))
            {
                return ValueTask.FromResult(false);
            }

            state.Dead.Remove(record);
            state.Jobs.Remove(record.Id);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> TrimDeadLettersAsync(string queue, int maxCount, TimeSpan maxAge, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAge, TimeSpan.Zero);
        lock (_gate)
        {
            if (!_queues.TryGetValue(queue, out var state))
            {
                return ValueTask.FromResult(0);
            }

            var cutoff = _time.GetUtcNow() - maxAge;
            var removed = 0;
            while (state.Dead.Count > 0)
            {
                var oldest = state.Dead.Min!;
                if (state.Dead.Count <= maxCount && oldest.FinishedAt > cutoff)
                {
                    break;
                }

                state.Dead.Remove(oldest);
                state.Jobs.Remove(oldest.Id);
                removed++;
            }

            return ValueTask.FromResult(removed);
        }
    }

    private bool TryGetDeadLocked(string queue, JobId id, out InMemoryQueue state, out InMemoryJobRecord record)
    {
        if (_queues.TryGetValue(queue, out state!) && state.Jobs.TryGetValue(id, out record!) && record.State == JobState.Dead)
        {
            return true;
        }

        record = null!;
        return false;
    }

    private void RequeueDeadLocked(InMemoryQueue state, InMemoryJobRecord record)
    {
        state.Dead.Remove(record);
        record.Attempt = 0;
        record.FinishedAt = null;
        record.ForgetErrors();
        PushReadyLocked(state, record, atFront: false);
    }
}
