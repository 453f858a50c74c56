using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

public sealed partial class RedisJobStore
{
    /// <summary>ARGV values before the first completion of <c>complete.lua</c>, and per completion (plus one when it carries data).</summary>
    private const int CompleteHeaderArgs = 8;
    private const int CompleteArgsPerItem = 3;

    /// <summary>Bits of a completion's code in <c>complete.lua</c>: the kind (two bits), whether data follows, then the retry delay in ms.</summary>
    private const long CompleteCodeHasData = 4;
    private const long CompleteCodeDelayUnit = 8;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A completion is invalid (unknown kind, negative retry delay).</exception>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer; the batch may be partly recorded, so send it again (recorded ones come back rejected).</exception>
    public async ValueTask<IReadOnlyList<JobCompletion>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        foreach (var completion in completions)
        {
            ValidateCompletion(completion);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (completions.Count == 0)
        {
            return [];
        }

        // One script call per queue, all sent before any is awaited.
        var groups = GroupByQueue(completions, c => c.Lease.Queue);
        var calls = new List<Task<RedisResult>>(groups.Count);
        foreach (var (queue, positions) in groups)
        {
            var queueKeys = _keys.For(queue);
            var length = CompleteHeaderArgs + (positions.Count * CompleteArgsPerItem);
            foreach (var position in positions)
            {
                length += DataOf(completions[position]).IsNull ? 0 : 1;
            }

            var args = new RedisValue[length];
            args[0] = queueKeys.JobPrefix;
            args[1] = queueKeys.IdempotencyPrefix;
            args[2] = queueKeys.StatsPrefix;
            args[3] = queue;
            args[4] = _keys.WorkSignalChannel.ToString();
            args[5] = _resultRetentionMs;
            args[6] = _options.DeadLetterMaxCount;
            args[7] = ToMs(_options.DeadLetterMaxAge);
            var a = CompleteHeaderArgs;
            foreach (var position in positions)
            {
                var c = completions[position];
                args[a++] = c.Lease.Id.Value;
                args[a++] = c.Lease.LeaseToken ?? string.Empty;
                var data = DataOf(c);
                var delayMs = c.Kind == CompletionKind.Retry ? ToMs(c.RetryDelay) : 0;
                args[a++] = (long)c.Kind + (data.IsNull ? 0 : CompleteCodeHasData) + (delayMs * CompleteCodeDelayUnit);
                if (!data.IsNull)
                {
                    args[a++] = data;
                }
            }

            calls.Add(EvalAsync(RedisScripts.Complete, queueKeys.StateKeys(), args, () => $"record {positions.Count} completion(s) in queue '{queue}'"));
        }

        List<JobCompletion>? rejected = null;
        for (var g = 0; g < groups.Count; g++)
        {
            var reply = (RedisResult[])(await calls[g].ConfigureAwait(false))!;
            foreach (var position in reply)
            {
                (rejected ??= []).Add(completions[groups[g].Positions[(int)position - 1]]);
            }
        }

        return rejected ?? (IReadOnlyList<JobCompletion>)[];
    }

    /// <summary>The result or error <c>complete.lua</c> stores for <paramref name="completion"/>, or null when there is none.</summary>
    private static RedisValue DataOf(JobCompletion completion) => completion.Kind switch
    {
        CompletionKind.Succeeded => completion.Result is { } result ? result : RedisValue.Null,
        CompletionKind.Retry or CompletionKind.DeadLetter => completion.Error ?? string.Empty,
        _ => RedisValue.Null,
    };

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<IReadOnlyList<LeaseHandle>> ExtendLeasesAsync(IReadOnlyList<LeaseHandle> leases, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        foreach (var lease in leases)
        {
            ValidQueue(lease.Queue);
            ValidId(lease.Id);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (leases.Count == 0)
        {
            return [];
        }

        var groups = GroupByQueue(leases, l => l.Queue);
        var calls = new List<Task<RedisResult>>(groups.Count);
        foreach (var (queue, positions) in groups)
        {
            var queueKeys = _keys.For(queue);
            var args = new RedisValue[1 + (positions.Count * 2)];
            args[0] = ToMs(leaseDuration);
            var a = 1;
            foreach (var position in positions)
            {
                args[a++] = leases[position].Id.Value;
                args[a++] = leases[position].LeaseToken ?? string.Empty;
            }

            calls.Add(EvalAsync(RedisScripts.Extend, [queueKeys.Active, queueKeys.Leases], args, () => $"extend {positions.Count} lease(s) in queue '{queue}'"));
        }

        var lost = new List<LeaseHandle>();
        for (var g = 0; g < groups.Count; g++)
        {
            var reply = (RedisResult[])(await calls[g].ConfigureAwait(false))!;
            foreach (var position in reply)
            {
                lost.Add(leases[groups[g].Positions[(int)position - 1]]);
            }
        }

        return lost;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Any number of workers may call this at once: the script is atomic, so no job is recovered twice, and a
    /// crashed worker holds nothing that would delay recovery beyond the lease itself.
    /// </remarks>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<int> RecoverExpiredLeasesAsync(string queue, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        RedisKey[] keys = queueKeys.StateKeys();
        RedisValue[] args =
        [
            queueKeys.JobPrefix,
            queueKeys.IdempotencyPrefix,
            queueKeys.StatsPrefix,
            queue,
            _keys.WorkSignalChannel.ToString(),
            _options.DeadLetterMaxCount,
            ToMs(_options.DeadLetterMaxAge),
            _resultRetentionMs,
        ];
        var recovered = (int)await EvalAsync(RedisScripts.Recover, keys, args, () => $"recover expired leases of queue '{queue}'").ConfigureAwait(false);
        return recovered;
    }

    private static void ValidateCompletion(JobCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ValidQueue(completion.Lease.Queue);
        ValidId(completion.Lease.Id);
        if (!Enum.IsDefined(completion.Kind))
        {
            throw new ArgumentException($"Completion of job {completion.Lease.Id} in queue '{completion.Lease.Queue}': Kind {(int)completion.Kind} is not a CompletionKind.", nameof(completion));
        }

        if (completion.Kind == CompletionKind.Retry && completion.RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"Completion of job {completion.Lease.Id} in queue '{completion.Lease.Queue}': RetryDelay must not be negative, but was {completion.RetryDelay}.", nameof(completion));
        }
    }

    /// <summary>Positions of <paramref name="items"/> by queue, in input order within each queue.</summary>
    private static List<(string Queue, List<int> Positions)> GroupByQueue<T>(IReadOnlyList<T> items, Func<T, string> queueOf)
    {
        var groups = new List<(string Queue, List<int> Positions)>();
        for (var i = 0; i < items.Count; i++)
        {
            var queue = queueOf(items[i]);

            // A loop, not FindIndex with a lambda: that lambda captures the queue, one closure per item.
            var index = -1;
            for (var g = 0; g < groups.Count; g++)
            {
                if (string.Equals(groups[g].Queue, queue, StringComparison.Ordinal))
                {
                    index = g;
                    break;
                }
            }

            if (index < 0)
            {
                groups.Add((queue, [i]));
            }
            else
            {
                groups[index].Positions.Add(i);
            }
        }

        return groups;
    }
}
