using System.Collections.Concurrent;
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

    /// <summary>Queues whose keys are kept (<see cref="For"/>).</summary>
    private const int MaxCachedQueues = 1024;

    private readonly string _prefix;

    private readonly ConcurrentDictionary<string, QueueKeys> _queues = new(StringComparer.Ordinal);

    public RedisKeys(string prefix)
    {
        _prefix = prefix;
        Prefix = prefix;
        Queues = $"{{{prefix}}}:queues";
        Workers = $"{{{prefix}}}:workers";
        Schedules = $"{{{prefix}}}:schedules";
        ScheduleQueues = $"{{{prefix}}}:schedule-queues";
        WorkSignalChannelName = $"{prefix}:signal:work";
        WorkSignalChannel = RedisChannel.Literal(WorkSignalChannelName);
        CancelChannel = RedisChannel.Literal($"{prefix}:signal:cancel");
    }

    /// <summary>The prefix of every key and channel.</summary>
    public string Prefix { get; }

    /// <summary>Set of every queue that ever received a job.</summary>
    public RedisKey Queues { get; }

    /// <summary>Sorted set of worker ids, scored by the instant their entry expires (ms).</summary>
    public RedisKey Workers { get; }

    /// <summary>Hash of every recurring schedule: field = schedule name, value = its queue (where its keys live).</summary>
    public RedisKey Schedules { get; }

    /// <summary>Set of the queues that hold recurring schedules (written idempotently beside each upsert).</summary>
    public RedisKey ScheduleQueues { get; }

    /// <summary>Pub/sub channel carrying the name of a queue that may have work.</summary>
    public RedisChannel WorkSignalChannel { get; }

    /// <summary>The work channel's name, as the scripts that publish to it take it.</summary>
    public string WorkSignalChannelName { get; }

    /// <summary>Pub/sub channel carrying the id of a running job that was cancelled.</summary>
    public RedisChannel CancelChannel { get; }

    /// <summary>Prefix of one worker's hash key; the script appends the worker id.</summary>
    public string WorkerPrefix => $"{{{_prefix}}}:worker:";

    /// <summary>
    /// The keys of one queue: made once per queue and kept (every script call needs them; building them cost a dozen
    /// strings per call), up to <see cref="MaxCachedQueues"/> queues, past which (only with unexpected names, e.g.
    /// from admin calls) they are made per call.
    /// </summary>
    public QueueKeys For(string queue)
    {
        if (_queues.TryGetValue(queue, out var keys))
        {
            return keys;
        }

        keys = new QueueKeys(_prefix, queue);
        return _queues.Count < MaxCachedQueues ? _queues.GetOrAdd(queue, keys) : keys;
    }

    /// <summary>The name of a ready list's priority, as used in its key.</summary>
    public static string PriorityName(Priority priority) => s_priorityNames[(int)priority];

    /// <summary>The keys of one queue, all under the hash tag <c>{prefix:queue}</c>.</summary>
    internal sealed class QueueKeys
    {
        private readonly string _tag;
        private readonly RedisKey[] _stateKeys;

        public QueueKeys(string prefix, string queue)
        {
            _tag = $"{{{prefix}:{queue}}}";
            JobPrefix = _tag + ":job:";
            IdempotencyPrefix = _tag + ":idem:";
            StatsPrefix = _tag + ":stats:";
            Scheduled = _tag + ":scheduled";
            Retry = _tag + ":retry";
            Active = _tag + ":active";
            Dead = _tag + ":dead";
            Paused = _tag + ":paused";
            Leases = _tag + ":leases";
            Succeeded = _tag + ":succeeded";
            _stateKeys =
            [
                Ready(Priority.Critical), Ready(Priority.High), Ready(Priority.Normal), Ready(Priority.Low),
                Scheduled, Retry, Active, Dead, Paused, Leases, Succeeded,
            ];
        }

        /// <summary>Prefix of job hashes; the scripts append the id.</summary>
        public string JobPrefix { get; }

        /// <summary>Prefix of idempotency keys; the scripts append the key.</summary>
        public string IdempotencyPrefix { get; }

        /// <summary>Prefix of per-day counters; the scripts append <c>processed:DAY</c> or <c>failed:DAY</c>.</summary>
        public string StatsPrefix { get; }

        /// <summary>The hash of one job.</summary>
        public RedisKey Job(JobId id) => JobPrefix + id.Value;

        /// <summary>The ready list of one priority (FIFO: RPUSH, LPOP).</summary>
        public RedisKey Ready(Priority priority) => $"{_tag}:ready:{PriorityName(priority)}";

        /// <summary>The queue's recurring schedules by name, scored by next due ms (paused ones are absent).</summary>
        public RedisKey ScheduleDue => _tag + ":schedules";

        /// <summary>The hash of one recurring schedule (definition, next due, last occurrence).</summary>
        public RedisKey Schedule(string name) => _tag + ":schedule:" + name;

        /// <summary>Jobs waiting for their run-at time, scored by due ms.</summary>
        public RedisKey Scheduled { get; }

        /// <summary>Jobs waiting for a retry backoff, scored by due ms.</summary>
        public RedisKey Retry { get; }

        /// <summary>Leased jobs, scored by lease deadline ms.</summary>
        public RedisKey Active { get; }

        /// <summary>Dead letters, scored by the ms they died.</summary>
        public RedisKey Dead { get; }

        /// <summary>Present while the queue is paused.</summary>
        public RedisKey Paused { get; }

        /// <summary>The leases of running jobs: field = job id, value = the packed lease (see <c>_prelude.lua</c>).</summary>
        public RedisKey Leases { get; }

        /// <summary>Cancelled jobs scored by the ms they were cancelled, kept for the result retention time (for listings).</summary>
        public RedisKey Cancelled => _tag + ":cancelled";

        /// <summary>Succeeded jobs as <c>fin ms:id</c>, oldest first: workers delete the jobs whose retention passed.</summary>
        public RedisKey Succeeded { get; }

        /// <summary>
        /// The ready lists, highest priority first, then scheduled, retry, active, dead, paused, leases and succeeded:
        /// the fixed KEYS of most scripts. One array shared by every call: pass it to a script, never change it.
        /// </summary>
        public RedisKey[] StateKeys() => _stateKeys;
    }
}
