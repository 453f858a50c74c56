namespace TaskQueue.Storage;

/// <content>Reading, cancelling and annotating single jobs.</content>
public sealed partial class InMemoryJobStore
{
    private readonly List<Action<JobId>> _cancelSubscribers = [];

    /// <inheritdoc/>
    public ValueTask<JobInfo?> GetJobAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        lock (_gate)
        {
            if (!_queues.TryGetValue(queue, out var state))
            {
                return ValueTask.FromResult<JobInfo?>(null);
            }

            PurgeFinishedLocked(state, _time.GetUtcNow());
            return ValueTask.FromResult(state.Jobs.TryGetValue(id, out var record) ? record.ToInfo() : null);
        }
    }

    /// <inheritdoc/>
    /// <remarks>A cancelled job stays readable (state <see cref="JobState.Cancelled"/>) for the finished-job retention time.</remarks>
    public ValueTask<bool> CancelAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        Action<JobId>[]? notify = null;
        lock (_gate)
        {
            if (!_queues.TryGetValue(queue, out var state) || !state.Jobs.TryGetValue(id, out var record))
            {
                return ValueTask.FromResult(false);
            }

            var now = _time.GetUtcNow();
            switch (record.State)
            {
                case JobState.Pending:
                    record.ReadyNode!.List!.Remove(record.ReadyNode);
                    record.ReadyNode = null;
                    break;
                case JobState.Scheduled:
                    state.Scheduled.Remove(record);
                    break;
                case JobState.Active:
                    // The lease token is dropped, so the attempt's completion and lease extensions are rejected.
                    state.Active.Remove(record.Id);
                    record.LeaseToken = null;
                    notify = _cancelSubscribers.Count == 0 ? null : [.. _cancelSubscribers];
                    break;
                default:
                    return ValueTask.FromResult(false);
            }

            record.IsRetry = false;
            FinishLocked(state, record, JobState.Cancelled, now);
        }

        if (notify is not null)
        {
            foreach (var callback in notify)
            {
                try
                {
                    callback(id);
                }
                catch (Exception)
                {
                    // A subscriber's failure must not stop the others nor fail the caller's cancel; subscribers log their own errors.
                }
            }
        }

        return ValueTask.FromResult(true);
    }

    /// <inheritdoc/>
    public ValueTask<IAsyncDisposable> SubscribeToCancellationsAsync(Action<JobId> onCancel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onCancel);
        lock (_gate)
        {
            _cancelSubscribers.Add(onCancel);
        }

        return ValueTask.FromResult<IAsyncDisposable>(new CancellationSubscription(this, onCancel));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The percent is not in 0-100.</exception>
    public ValueTask<bool> SetProgressAsync(string queue, JobId id, string leaseToken, double percent, CancellationToken cancellationToken = default)
    {
        JobNames.ValidateQueueName(queue, nameof(queue));
        if (double.IsNaN(percent) || percent < 0 || percent > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, $"Job {id}: progress must be between 0 and 100, but was {percent}.");
        }

        lock (_gate)
        {
            if (!TryGetLeasedLocked(new LeaseHandle(queue, id, leaseToken), out var record))
            {
                return ValueTask.FromResult(false);
            }

            record.Progress = percent;
            return ValueTask.FromResult(true);
        }
    }

    private sealed class CancellationSubscription(InMemoryJobStore store, Action<JobId> callback) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (store._gate)
            {
                store._cancelSubscribers.Remove(callback);
            }

            return ValueTask.CompletedTask;
        }
    }
}
