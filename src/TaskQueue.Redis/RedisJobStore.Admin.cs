using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;
using TaskQueue.Admin;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

/// <content>
/// What operators see and do (<see cref="IJobAdmin"/>). Every call reads or changes a bounded page: a page of ids comes
/// from one script (LRANGE / ZRANGE by rank), then the jobs are read in one pipelined round trip.
/// </content>
public sealed partial class RedisJobStore : IJobAdmin
{
    /// <summary>Dead letters examined per call of a filtered requeue or delete.</summary>
    private const int DeadLetterBatch = 500;

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<IReadOnlyList<QueueStats>> ListQueuesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RedisValue[] members;
        try
        {
            members = await (await DbAsync().ConfigureAwait(false)).SetMembersAsync(_keys.Queues).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed("list queues", ex);
        }

        var names = new List<string>(members.Length);
        foreach (var member in members)
        {
            // A member no queue can be named was written by something else; the list goes on without it.
            if (JobNames.IsValidQueueName(member.ToString()))
            {
                names.Add(member.ToString());
            }
        }

        names.Sort(StringComparer.Ordinal);

        // One script per queue (each queue is its own slot), all sent before the first reply is awaited.
        var reads = names.Select(name => GetQueueStatsAsync(name, cancellationToken).AsTask()).ToArray();
        return await Task.WhenAll(reads).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<JobPage> ListJobsAsync(string queue, JobListState state, int offset, int count, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        JobPage.Validate(offset, count);
        var (name, fallback) = state switch
        {
            JobListState.Pending => ("pending", JobState.Pending),
            JobListState.Scheduled => ("scheduled", JobState.Scheduled),
            JobListState.Running => ("running", JobState.Active),
            JobListState.Retrying => ("retrying", JobState.Scheduled),
            JobListState.Dead => ("dead", JobState.Dead),
            JobListState.Succeeded => ("succeeded", JobState.Succeeded),
            JobListState.Cancelled => ("cancelled", JobState.Cancelled),
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, $"Listing jobs of queue '{queue}': unknown state {(int)state}."),
        };
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        RedisValue[] args = [name, offset, count, (string)queueKeys.Cancelled!];
        var reply = (RedisResult[])(await EvalAsync(RedisScripts.ListJobs, queueKeys.StateKeys(), args, () => $"list {name} jobs of queue '{queue}'").ConfigureAwait(false))!;
        var ids = new List<JobId>(reply.Length - 1);
        for (var i = 1; i < reply.Length; i++)
        {
            // An id no JobId can hold was written by something else; the page goes on without it.
            if (JobId.TryParse(reply[i].ToString(), out var id))
            {
                ids.Add(id);
            }
        }

        var jobs = await ReadJobsAsync(queue, ids, fallback, $"read a page of {name} jobs of queue '{queue}'").ConfigureAwait(false);
        return new JobPage { Jobs = jobs, Total = (long)reply[0], Offset = offset };
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<bool> DeleteJobAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        ValidId(id);
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        RedisValue[] args = [queueKeys.JobPrefix, queueKeys.IdempotencyPrefix, id.Value, _keys.CancelChannel.ToString(), (string)queueKeys.Cancelled!];
        return (int)await EvalAsync(RedisScripts.DeleteJob, queueKeys.StateKeys(), args, () => $"delete job {id} of queue '{queue}'").ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<bool> RunNowAsync(string queue, JobId id, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        ValidId(id);
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        RedisValue[] args = [queueKeys.JobPrefix, id.Value, _keys.WorkSignalChannelName, queue];
        return (int)await EvalAsync(RedisScripts.RunNow, queueKeys.StateKeys(), args, () => $"run job {id} of queue '{queue}' now").ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer (the dead letters handled before stay handled).</exception>
    public ValueTask<long> RequeueDeadLettersAsync(string queue, DeadLetterFilter filter, CancellationToken cancellationToken = default)
        => DeadLettersFilteredAsync(queue, filter, "requeue", cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer (the dead letters deleted before stay deleted).</exception>
    public ValueTask<long> DeleteDeadLettersAsync(string queue, DeadLetterFilter filter, CancellationToken cancellationToken = default)
        => DeadLettersFilteredAsync(queue, filter, "delete", cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="RedisJobStoreException">Redis was unreachable or did not answer.</exception>
    public async ValueTask<IReadOnlyList<DailyTotals>> GetDailyTotalsAsync(string queue, int days, CancellationToken cancellationToken = default)
    {
        ValidQueue(queue);
        DailyTotals.Validate(days);
        cancellationToken.ThrowIfCancellationRequested();
        var queueKeys = _keys.For(queue);
        try
        {
            var db = await DbAsync().ConfigureAwait(false);

            // The scripts count by the server's day: read it from the server's clock, not this machine's.
            var time = (RedisResult[])(await db.ExecuteAsync("TIME").ConfigureAwait(false))!;
            var today = long.Parse(time[0].ToString(), CultureInfo.InvariantCulture) / 86400;
            var keys = new RedisKey[days * 2];
            for (var i = 0; i < days; i++)
            {
                var day = (today - days + 1 + i).ToString(CultureInfo.InvariantCulture);
                keys[i * 2] = queueKeys.StatsPrefix + "processed:" + day;
                keys[(i * 2) + 1] = queueKeys.StatsPrefix + "failed:" + day;
            }

            // One slot (the queue's hash tag), so one MGET even on a cluster.
            var values = await db.StringGetAsync(keys).ConfigureAwait(false);
            var totals = new List<DailyTotals>(days);
            for (var i = 0; i < days; i++)
            {
                var day = DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)(today - days + 1 + i));
                totals.Add(new DailyTotals(day, Counter(values[i * 2]), Counter(values[(i * 2) + 1])));
            }

            return totals;
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed($"read the daily totals of queue '{queue}'", ex);
        }

        static long Counter(RedisValue value) => value.TryParse(out long n) ? n : 0;
    }

    /// <inheritdoc/>
    /// <remarks>Never throws for an unreachable Redis: that is <see cref="StoreStatus.Available"/> = false with the reason.</remarks>
    public async ValueTask<StoreStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var db = await DbAsync().ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            await db.PingAsync().ConfigureAwait(false);
            var roundTrip = Stopwatch.GetElapsedTime(started);
            var servers = Connection.GetServers()
                .Select(s => new StoreServer(s.EndPoint.ToString() ?? string.Empty, s.IsReplica ? "replica" : "primary", s.IsConnected ? s.Version.ToString() : null, s.IsConnected))
                .OrderBy(s => s.Endpoint, StringComparer.Ordinal)
                .ToList();
            return new StoreStatus { Kind = "redis", Available = true, RoundTrip = roundTrip, Servers = servers };
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex) || ex is RedisJobStoreException)
        {
            return new StoreStatus { Kind = "redis", Available = false, Error = ex.Message };
        }
    }

    /// <summary>Reads jobs by id in one pipelined round trip (hash, lease, lease deadline each), skipping those gone meanwhile.</summary>
    private async Task<List<JobInfo>> ReadJobsAsync(string queue, List<JobId> ids, JobState fallback, string operation)
    {
        var queueKeys = _keys.For(queue);
        try
        {
            var db = await DbAsync().ConfigureAwait(false);
            var hashes = new Task<HashEntry[]>[ids.Count];
            var leases = new Task<RedisValue>[ids.Count];
            var deadlines = new Task<double?>[ids.Count];

            // The lease first, then the hash (one connection keeps the order): a job that finished in between reads
            // as finished from the hash, one fetched in between as still pending. Never a lease without its state.
            for (var i = 0; i < ids.Count; i++)
            {
                leases[i] = db.HashGetAsync(queueKeys.Leases, ids[i].Value);
                deadlines[i] = db.SortedSetScoreAsync(queueKeys.Active, ids[i].Value);
                hashes[i] = db.HashGetAllAsync(queueKeys.Job(ids[i]));
            }

            var jobs = new List<JobInfo>(ids.Count);
            for (var i = 0; i < ids.Count; i++)
            {
                if (JobHashReader.Read(queue, ids[i], await hashes[i].ConfigureAwait(false), await leases[i].ConfigureAwait(false), fallback, await deadlines[i].ConfigureAwait(false)) is { } job)
                {
                    jobs.Add(job);
                }
            }

            return jobs;
        }
        catch (Exception ex) when (RedisStoreErrors.IsCallFailure(ex))
        {
            throw RedisStoreErrors.CallFailed(operation, ex);
        }
    }

    private async ValueTask<long> DeadLettersFilteredAsync(string queue, DeadLetterFilter filter, string action, CancellationToken cancellationToken)
    {
        ValidQueue(queue);
        ArgumentNullException.ThrowIfNull(filter);
        var queueKeys = _keys.For(queue);
        long matched = 0;
        long skip = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RedisValue[] args =
            [
                queueKeys.JobPrefix, action, filter.JobName ?? string.Empty, filter.ErrorContains ?? string.Empty,
                skip, DeadLetterBatch, _keys.WorkSignalChannelName, queue,
            ];
            var done = matched;
            var reply = (RedisResult[])(await EvalAsync(RedisScripts.DeadFiltered, queueKeys.StateKeys(), args, () => $"{action} dead letters of queue '{queue}' ({done} done)").ConfigureAwait(false))!;
            var batchMatched = (long)reply[0];
            var examined = (long)reply[1];
            matched += batchMatched;

            // Matching ones left the set; the others stay in front of the next batch.
            skip += examined - batchMatched;
            if (examined < DeadLetterBatch)
            {
                return matched;
            }
        }
    }
}
