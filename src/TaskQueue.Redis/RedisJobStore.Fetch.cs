using System.Diagnostics;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

public sealed partial class RedisJobStore
{
    private readonly FetchReplyParser _fetchReplies = new();

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<IReadOnlyList<LeasedJob>> FetchAsync(FetchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var queue = ValidQueue(request.Queue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.MaxJobs);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.LeaseDuration, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();

        var queueKeys = _keys.For(queue);
        RedisValue[] args =
        [
            queueKeys.JobPrefix,
            request.MaxJobs,
            ToMs(request.LeaseDuration),
            request.WorkerId ?? string.Empty,
            Guid.NewGuid().ToString("N"),
            queueKeys.IdempotencyPrefix,
            _maxPayloadBytes,
        ];

        // Taken before the fetch, like WaitForWorkAsync takes it before its peek: see RememberEmptyFetch.
        var signal = _workSubscribed ? WorkSignal(queue) : null;
        var sent = Stopwatch.GetTimestamp();
        var reply = await EvalAsync(RedisScripts.Fetch, queueKeys.StateKeys(), args, () => $"fetch from queue '{queue}'").ConfigureAwait(false);

        // The reply's own bytes, not a copy: small payloads are slices of them.
        var jobs = _fetchReplies.Parse(queue, (ReadOnlyMemory<byte>)(RedisValue)reply, out var unreadable, out var drained);
        if (signal is not null && drained is { } look)
        {
            RememberEmptyFetch(queue, signal, look, sent);
        }

        if (unreadable is not null)
        {
            // Rare (fetch.lua checks the fields): the others are delivered, these go to the dead letters now. Should
            // that fail, the jobs are still leased: recovery treats them as expired and the next fetch tries again,
            // so the batch is delivered rather than failed.
            try
            {
                await CompleteAsync(unreadable, CancellationToken.None).ConfigureAwait(false);
            }
            catch (RedisJobStoreException)
            {
            }
        }

        return jobs;
    }
}
