using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace TaskQueue.Redis;

/// <summary>
/// The Lua scripts, read once from embedded resources with the shared prelude prepended. They run through
/// <c>ScriptEvaluateAsync(string, RedisKey[], RedisValue[])</c> with the script's SHA1 (<see cref="HashOf"/>), and
/// with the text after NOSCRIPT (no <c>LuaScript.Prepare</c>: its parameter mapping uses reflection and is not AOT-safe).
/// </summary>
internal static class RedisScripts
{
    private static readonly string s_prelude = Read("_prelude");

    public static readonly string Enqueue = Load("enqueue");
    public static readonly string Fetch = Load("fetch");
    public static readonly string Complete = Load("complete");
    public static readonly string Extend = Load("extend");
    public static readonly string Recover = Load("recover");
    public static readonly string Cancel = Load("cancel");
    public static readonly string Progress = Load("progress");
    public static readonly string RequeueDead = Load("requeue_dead");
    public static readonly string DeleteDead = Load("delete_dead");
    public static readonly string TrimDead = Load("trim_dead");
    public static readonly string Pause = Load("pause");
    public static readonly string Peek = Load("peek");
    public static readonly string Stats = Load("stats");
    public static readonly string Heartbeat = Load("heartbeat");
    public static readonly string ListWorkers = Load("list_workers");
    public static readonly string RemoveWorker = Load("remove_worker");

    public static readonly string ListJobs = Load("list_jobs");

    public static readonly string DeleteJob = Load("delete_job");

    public static readonly string RunNow = Load("run_now");

    public static readonly string DeadFiltered = Load("dead_filtered");

    // Recurring schedules (RedisJobStore.Schedules.cs).
    public static readonly string ScheduleTime = Load("schedule_time");
    public static readonly string ScheduleUpsert = Load("schedule_upsert");
    public static readonly string ScheduleDue = Load("schedule_due");
    public static readonly string ScheduleAdvance = Load("schedule_advance");
    public static readonly string ScheduleState = Load("schedule_state");

    /// <summary>Every script, to load into each server once (and again after it restarts).</summary>
    public static readonly string[] All =
    [
        Enqueue, Fetch, Complete, Extend, Recover, Cancel, Progress, RequeueDead, DeleteDead, TrimDead,
        Pause, Peek, Stats, Heartbeat, ListWorkers, RemoveWorker, ListJobs, DeleteJob, RunNow, DeadFiltered,
        ScheduleTime, ScheduleUpsert, ScheduleDue, ScheduleAdvance, ScheduleState,
    ];

    /// <summary>Each script's SHA1 as hex, looked up by reference (the fields above), never by hashing the text.</summary>
    private static readonly Dictionary<string, string> s_hashes = All.ToDictionary<string, string, string>(
        script => script,
        script => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(script))),
        ReferenceEqualityComparer.Instance);

    /// <summary>
    /// What to pass to <c>ScriptEvaluateAsync</c> for <paramref name="script"/> (one of the fields above): its hex SHA1,
    /// which goes out as EVALSHA at once. StackExchange.Redis keys its own cache of script hashes by the whole text, so
    /// passing the text costs a hash and a compare of ~15,000 characters per call. After <see cref="IsNoScript"/>,
    /// call again with the text, which loads it.
    /// </summary>
    public static string HashOf(string script) => s_hashes.TryGetValue(script, out var sha) ? sha : script;

    /// <summary>
    /// NOSCRIPT: the server restarted or flushed its scripts, so the script did not run; sending the text runs and
    /// loads it.
    /// </summary>
    public static bool IsNoScript(Exception exception)
        => exception is RedisServerException && exception.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);

    private static string Load(string name) => s_prelude + "\n" + Read(name);

    private static string Read(string name)
    {
        var resource = $"TaskQueue.Redis.Scripts.{name}.lua";
        using var stream = typeof(RedisScripts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded script '{resource}' is missing from {typeof(RedisScripts).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
