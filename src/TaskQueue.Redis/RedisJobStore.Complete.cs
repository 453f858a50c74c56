using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

public sealed partial class RedisJobStore
{
    /// <summary>ARGV values before the first completion of <c>complete.lua</c>, and per completion (plus one when it carries data).</summary>
    private const int CompleteHeaderArgs = 9;
    private const int CompleteArgsPerItem = 3;

    /// <summary>Bits of a completion's code in <c>complete.lua</c>: the kind (three bits), whether data follows, then the retry delay in ms.</summary>
    private const long CompleteCodeHasData = 8;
    private const long CompleteCodeDelayUnit = 16;

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
            calls.Add(CompleteInQueueAsync(queue, completions, positions, onlyExpired: false));
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

    /// <summary>Sends one <c>complete.lua</c> call; its reply is the 1-based positions (within <paramref name="positions"/>) it rejected.</summary>
    /// <param name="queue">The queue of every completion sent.</param>
    /// <param name="completions">The completions.</param>
    /// <param name="positions">Which of <paramref name="completions"/> to send.</param>
    /// <param name="onlyExpired">Recovery: also reject a completion whose lease is no longer expired.</param>
    private Task<RedisResult> CompleteInQueueAsync(string queue, IReadOnlyList<JobCompletion> completions, List<int> positions, bool onlyExpired)
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
        args[4] = _keys.WorkSignalChannelName;
        args[5] = _resultRetentionMs;
        args[6] = _options.DeadLetterMaxCount;
        args[7] = ToMs(_options.DeadLetterMaxAge);
        args[8] = onlyExpired ? "1" : "0";
        var a = CompleteHeaderArgs;
        foreach (var position in positions)
        {
            var c = completions[position];
            args[a++] = c.Lease.Id.Value;
            args[a++] = c.Lease.LeaseToken ?? string.Empty;
            var data = DataOf(c);
            var delayMs = c.Kind is CompletionKind.Retry or CompletionKind.Defer ? ToMs(c.RetryDelay) : 0;
            args[a++] = (long)c.Kind + (data.IsNull ? 0 : CompleteCodeHasData) + (delayMs * CompleteCodeDelayUnit);
            if (!data.IsNull)
            {
                args[a++] = data;
            }
        }

        var what = onlyExpired ? "recover" : "record";
        return EvalAsync(RedisScripts.Complete, queueKeys.StateKeys(), args, () => $"{what} {positions.Count} completion(s) in queue '{queue}'");
    }

    /// <summary>The result or error <c>complete.lua</c> stores for <paramref name="completion"/>, or null when there is none.</summary>
    private static RedisValue DataOf(JobCompletion completion) => completion.Kind switch
    {
        CompletionKind.Succeeded => completion.Result is { } result ? result : RedisValue.Null,
        CompletionKind.Retry or CompletionKind.DeadLetter or CompletionKind.Defer => completion.Error ?? string.Empty,
        _ => RedisValue.Null,
    };

    private static void ValidateCompletion(JobCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ValidQueue(completion.Lease.Queue);
        ValidId(completion.Lease.Id);
        if (!Enum.IsDefined(completion.Kind))
        {
            throw new ArgumentException($"Completion of job {completion.Lease.Id} in queue '{completion.Lease.Queue}': Kind {(int)completion.Kind} is not a CompletionKind.", nameof(completion));
        }

        if (completion.Kind is CompletionKind.Retry or CompletionKind.Defer && completion.RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"Completion of job {completion.Lease.Id} in queue '{completion.Lease.Queue}': RetryDelay must not be negative, but was {completion.RetryDelay}.", nameof(completion));
        }
    }
}
