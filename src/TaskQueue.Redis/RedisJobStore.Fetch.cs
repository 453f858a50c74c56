using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

public sealed partial class RedisJobStore
{
    /// <summary>Values per job returned by <c>fetch.lua</c>.</summary>
    private const int FetchValuesPerJob = 10;

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
        ];
        var reply = (RedisResult[])(await EvalAsync(RedisScripts.Fetch, queueKeys.StateKeys(), args, () => $"fetch from queue '{queue}'").ConfigureAwait(false))!;
        if (reply.Length == 0)
        {
            return [];
        }

        var jobs = new LeasedJob[reply.Length / FetchValuesPerJob];
        for (var j = 0; j < jobs.Length; j++)
        {
            var r = j * FetchValuesPerJob;
            var timeout = reply[r + 6].ToString();
            var trace = reply[r + 9].ToString();
            jobs[j] = new LeasedJob
            {
                Id = new JobId(reply[r].ToString()),
                Name = reply[r + 1].ToString(),
                Queue = queue,
                Payload = (byte[])reply[r + 2]! ?? [],
                Priority = (Priority)(int)reply[r + 3],
                Attempt = (int)reply[r + 4],
                MaxRetries = (int)reply[r + 5],
                Timeout = timeout.Length == 0 ? null : TimeSpan.FromMilliseconds(long.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture)),
                EnqueuedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)reply[r + 7]),
                LeaseToken = reply[r + 8].ToString(),
                TraceParent = trace.Length == 0 ? null : trace,
            };
        }

        return jobs;
    }
}
