namespace TaskQueue.Storage;

public sealed partial class InMemoryJobStore
{
    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JobCompletion>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        List<JobCompletion>? rejected = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            for (var i = 0; i < completions.Count; i++)
            {
                var completion = completions[i] ?? throw new ArgumentNullException(nameof(completions), $"completions[{i}] is null.");
                if (!TryCompleteLocked(completion, now))
                {
                    (rejected ??= []).Add(completion);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<JobCompletion>>(rejected is null ? [] : rejected);
    }

    private bool TryCompleteLocked(JobCompletion completion, DateTimeOffset now)
    {
        if (!TryGetLeasedLocked(completion.Lease, out var record))
        {
            return false;
        }

        var queue = _queues[completion.Lease.Queue];
        queue.Active.Remove(record.Id);
        record.LeaseToken = null;
        switch (completion.Kind)
        {
            case CompletionKind.Succeeded:
                record.Result = completion.Result?.ToArray();
                queue.CountProcessed(now);
                FinishLocked(queue, record, JobState.Succeeded, now);
                break;
            case CompletionKind.Retry:
                record.RecordFailure(completion.Error, now);
                queue.CountFailed(now);
                ScheduleLocked(queue, record, now + (completion.RetryDelay > TimeSpan.Zero ? completion.RetryDelay : TimeSpan.Zero), isRetry: true);
                queue.Signal();
                break;
            case CompletionKind.DeadLetter:
                record.RecordFailure(completion.Error, now);
                queue.CountFailed(now);
                MoveToDeadLocked(queue, record, now);
                break;
            case CompletionKind.Defer:
                // Not the job's fault: the attempt does not count; the job waits and is offered to the workers again.
                record.Attempt = Math.Max(0, record.Attempt - 1);
                record.Deferrals++;
                record.LastError = completion.Error;
                record.Progress = null;
                queue.CountDeferred(now);
                ScheduleLocked(queue, record, now + (completion.RetryDelay > TimeSpan.Zero ? completion.RetryDelay : TimeSpan.Zero), isRetry: false);
                queue.Signal();
                break;
            case CompletionKind.Release:
                // Shutdown, not failure: the attempt does not count and the job keeps its place at the head.
                record.Attempt = Math.Max(0, record.Attempt - 1);
                PushReadyLocked(queue, record, atFront: true);
                queue.Signal();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(completion), completion.Kind, $"Job '{record.Name}' ({record.Id}): unknown completion kind {(int)completion.Kind}.");
        }

        return true;
    }
}
