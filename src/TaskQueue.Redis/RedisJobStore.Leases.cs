using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

public sealed partial class RedisJobStore
{
    /// <summary>Expired leases listed (and decided) per recovery call, oldest first; the rest wait for the next call.</summary>
    private const int RecoverBatch = 1000;

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
    /// Two round trips: <c>recover.lua</c> lists the expired leases (and dead-letters malformed jobs on its own), then
    /// one <c>complete.lua</c> call in recovery mode applies the decisions, each only if its lease still has the same
    /// token and is still expired. Any number of workers may call this at once: no job is recovered twice, and a
    /// crashed worker holds nothing that would delay recovery beyond the lease itself.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="decide"/> returned a completion that is not a retry or dead letter of that lease.</exception>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<int> RecoverExpiredLeasesAsync(string queue, Func<ExpiredLease, JobCompletion> decide, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        ArgumentNullException.ThrowIfNull(decide);
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        RedisValue[] args =
        [
            queueKeys.JobPrefix,
            queueKeys.IdempotencyPrefix,
            queueKeys.StatsPrefix,
            _resultRetentionMs,
            RecoverBatch,
        ];
        var listed = (RedisResult[])(await EvalAsync(RedisScripts.Recover, queueKeys.StateKeys(), args, () => $"list expired leases of queue '{queue}'").ConfigureAwait(false))!;
        var malformed = (int)listed[0];
        var decisions = ExpiredLeaseReader.Decide(queue, listed, decide);
        if (decisions.Count == 0)
        {
            return malformed;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var all = new List<int>(decisions.Count);
        for (var i = 0; i < decisions.Count; i++)
        {
            all.Add(i);
        }

        var rejected = (RedisResult[])(await CompleteInQueueAsync(queue, decisions, all, onlyExpired: true).ConfigureAwait(false))!;
        return malformed + decisions.Count - rejected.Length;
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
