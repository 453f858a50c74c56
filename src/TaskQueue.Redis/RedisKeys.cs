using StackExchange.Redis;

namespace TaskQueue.Redis;

/// <summary>
/// Every key and channel name the Redis store uses, built in one place. All keys of one queue share the
/// hash tag <c>{prefix:queue}</c>, so each script touches a single cluster slot; registry keys share <c>{prefix}</c>.
/// </summary>
internal sealed class RedisKeys
{
    /// <summary>Ready-list suffixes by <see cref="Priority"/> value (index = (int)priority).</summary>
    private static readonly string[] s_priorityNames = ["critical", "high", "normal", "low"];

    private readonly string _prefix;

    public RedisKeys(string prefix)
    {
        _prefix = prefix;
        Prefix = prefix;
        Queues = $"{{{prefix}}}:queues";
        Workers = $"{{{prefix}}}:workers";
        WorkSignalChannel = RedisChannel.Literal($"{prefix}:signal:work");
        CancelChannel = RedisChannel.Literal($"{prefix}:signal:cancel");
    }

    /// <summary>The prefix of every key and channel.</summary>
    public string Prefix { get; }

    /// <summary>Set of every queue that ever received a job.</summary>
    public RedisKey Queues { get; }

    /// <summary>Sorted set of worker ids, scored by the instant their entry expires (ms).</summary>
    public RedisKey Workers { get; }

    /// <summary>Pub/sub channel carrying the name of a queue that may have work.</summary>
    public RedisChannel WorkSignalChannel { get; }

    /// <summary>Pub/sub channel carrying the id of a running job that was cancelled.</summary>
    public RedisChannel CancelChannel { get; }

    /// <summary>Prefix of one worker's hash key; the script appends the worker id.</summary>
    public string WorkerPrefix => $"{{{_prefix}}}:worker:";

    /// <summary>The keys of one queue.</summary>
    public QueueKeys For(string queue) => new(_prefix, queue);

    /// <summary>The name of a ready list's priority, as used in its key.</summary>
    public static string PriorityName(Priority priority) => s_priorityNames[(int)priority];

    /// <summary>The keys of one queue, all under the hash tag <c>{prefix:queue}</c>.</summary>
    internal readonly struct QueueKeys
    {
        private readonly string _tag;

        public QueueKeys(string prefix, string queue)
        {
            _tag = $"{{{prefix}:{queue}}}";
        }

        /// <summary>Prefix of job hashes; the scripts append the id.</summary>
        public string JobPrefix => _tag + ":job:";

        /// <summary>Prefix of idempotency keys; the scripts append the key.</summary>
        public string IdempotencyPrefix => _tag + ":idem:";

        /// <summary>Prefix of per-day counters; the scripts append <c>processed:DAY</c> or <c>failed:DAY</c>.</summary>
        public string StatsPrefix => _tag + ":stats:";

        /// <summary>The hash of one job.</summary>
        public RedisKey Job(JobId id) => JobPrefix + id.Value;

        /// <summary>The ready list of one priority (FIFO: RPUSH, LPOP).</summary>
        public RedisKey Ready(Priority priority) => $"{_tag}:ready:{PriorityName(priority)}";

        /// <summary>Jobs waiting for their run-at time, scored by due ms.</summary>
        public RedisKey Scheduled => _tag + ":scheduled";

        /// <summary>Jobs waiting for a retry backoff, scored by due ms.</summary>
        public RedisKey Retry => _tag + ":retry";

        /// <summary>Leased jobs, scored by lease deadline ms.</summary>
        public RedisKey Active => _tag + ":active";

        /// <summary>Dead letters, scored by the ms they died.</summary>
        public RedisKey Dead => _tag + ":dead";

        /// <summary>Present while the queue is paused.</summary>
        public RedisKey Paused => _tag + ":paused";

        /// <summary>The leases of running jobs: field = job id, value = the packed lease (see <c>_prelude.lua</c>).</summary>
        public RedisKey Leases => _tag + ":leases";

        /// <summary>Cancelled jobs scored by the ms they were cancelled, kept for the result retention time (for listings).</summary>
        public RedisKey Cancelled => _tag + ":cancelled";

        /// <summary>Succeeded jobs as <c>fin ms:id</c>, oldest first: workers delete the jobs whose retention passed.</summary>
        public RedisKey Succeeded => _tag + ":succeeded";

        /// <summary>
        /// The ready lists, highest priority first, then scheduled, retry, active, dead, paused, leases and succeeded:
        /// the fixed KEYS of most scripts.
        /// </summary>
        public RedisKey[] StateKeys() =>
        [
            Ready(Priority.Critical), Ready(Priority.High), Ready(Priority.Normal), Ready(Priority.Low),
            Scheduled, Retry, Active, Dead, Paused, Leases, Succeeded,
        ];
    }
}
