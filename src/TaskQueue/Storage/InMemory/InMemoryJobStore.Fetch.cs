namespace TaskQueue.Storage;

public sealed partial class InMemoryJobStore
{
    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<LeasedJob>> FetchAsync(FetchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        JobNames.ValidateQueueName(request.Queue, nameof(request));
        if (request.MaxJobs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.MaxJobs, $"FetchRequest.MaxJobs must be positive, but was {request.MaxJobs} (queue '{request.Queue}').");
        }

        if (request.LeaseDuration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.LeaseDuration, $"FetchRequest.LeaseDuration must be positive, but was {request.LeaseDuration} (queue '{request.Queue}').");
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_queues.TryGetValue(request.Queue, out var queue) || queue.Paused)
            {
                return ValueTask.FromResult<IReadOnlyList<LeasedJob>>([]);
            }

            PurgeFinishedLocked(queue, now);
            PromoteDueLocked(queue, now);
            List<LeasedJob>? leased = null;
            for (var p = 0; p < queue.Ready.Length && (leased?.Count ?? 0) < request.MaxJobs; p++)
            {
                var list = queue.Ready[p];
                while (list.First is { } node && (leased?.Count ?? 0) < request.MaxJobs)
                {
                    list.RemoveFirst();
                    var record = node.Value;
                    record.ReadyNode = null;
                    if (record.Payload.Length > MaxPayloadBytes)
                    {
                        // Stored before the limit was lowered: dead-lettered on its own, the batch is filled with the next ones.
                        record.LastError = PayloadTooLarge(record.Payload.Length, MaxPayloadBytes);
                        MoveToDeadLocked(queue, record, now);
                        continue;
                    }

                    record.State = JobState.Active;
                    record.Attempt++;
                    record.LeaseToken = NewLeaseToken();
                    record.LeaseDeadline = now + request.LeaseDuration;
                    record.WorkerId = request.WorkerId;
                    record.StartedAt = now;
                    record.Progress = null;
                    queue.Active.Add(record.Id, record);
                    (leased ??= new List<LeasedJob>(Math.Min(request.MaxJobs, 64))).Add(record.ToLeased());
                }
            }

            return ValueTask.FromResult<IReadOnlyList<LeasedJob>>(leased is null ? [] : leased);
        }
    }

    /// <summary>The dead-letter error of a job whose payload is over the limit; fetch.lua writes the same text.</summary>
    private static string PayloadTooLarge(int length, int limit)
        => $"the payload is {length} bytes, more than the limit of {limit} bytes (MaxPayloadBytes)";

    private static string NewLeaseToken() => Guid.NewGuid().ToString("N");
}
