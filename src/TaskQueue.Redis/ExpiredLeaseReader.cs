using System.Globalization;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

/// <summary>
/// Turns the expired leases <c>recover.lua</c> lists (see its header) into <see cref="ExpiredLease"/>s and asks the
/// caller's decision for each, checking that every decision is one the recovery may apply.
/// </summary>
internal static class ExpiredLeaseReader
{
    private const int ValuesPerLease = 6;

    /// <summary>The decisions for the leases in <paramref name="listed"/> (after its first value, the malformed count), in order.</summary>
    /// <exception cref="ArgumentException"><paramref name="decide"/> returned something other than a retry or dead letter of the lease.</exception>
    public static List<JobCompletion> Decide(string queue, RedisResult[] listed, Func<ExpiredLease, JobCompletion> decide)
    {
        var decisions = new List<JobCompletion>((listed.Length - 1) / ValuesPerLease);
        for (var i = 1; i + ValuesPerLease <= listed.Length; i += ValuesPerLease)
        {
            // recover.lua checked id, attempt, max retries and name, so these parse.
            var lease = new LeaseHandle(queue, new JobId(listed[i].ToString()), listed[i + 1].ToString());
            var name = listed[i + 4].ToString();
            var worker = listed[i + 5].ToString();
            var completion = decide(new ExpiredLease
            {
                Lease = lease,
                Name = name,
                Attempt = int.Parse(listed[i + 2].ToString(), NumberStyles.None, CultureInfo.InvariantCulture),
                MaxRetries = int.Parse(listed[i + 3].ToString(), NumberStyles.None, CultureInfo.InvariantCulture),
                WorkerId = worker.Length == 0 ? null : worker,
            });
            if (completion is null || completion.Kind is not (CompletionKind.Retry or CompletionKind.DeadLetter) || completion.Lease != lease)
            {
                throw new ArgumentException($"Recovering job '{name}' ({lease.Id}) in queue '{queue}': the decision must be a Retry or DeadLetter completion of the expired lease, but was {completion?.Kind.ToString() ?? "null"}.", nameof(decide));
            }

            if (completion.RetryDelay < TimeSpan.Zero)
            {
                throw new ArgumentException($"Recovering job '{name}' ({lease.Id}) in queue '{queue}': RetryDelay must not be negative, but was {completion.RetryDelay}.", nameof(decide));
            }

            decisions.Add(completion);
        }

        return decisions;
    }
}
