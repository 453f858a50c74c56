namespace TaskQueue.Redis;

/// <summary>
/// The Lua scripts, read once from embedded resources with the shared prelude prepended. They run through
/// <c>ScriptEvaluateAsync(string, RedisKey[], RedisValue[])</c>, which sends EVALSHA and reloads on NOSCRIPT
/// (no <c>LuaScript.Prepare</c>: its parameter mapping uses reflection and is not AOT-safe).
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

    /// <summary>Every script, to load into each server once (and again after it restarts).</summary>
    public static readonly string[] All =
    [
        Enqueue, Fetch, Complete, Extend, Recover, Cancel, Progress, RequeueDead, DeleteDead, TrimDead,
        Pause, Peek, Stats, Heartbeat, ListWorkers, RemoveWorker, ListJobs, DeleteJob, RunNow, DeadFiltered,
    ];

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
