namespace TaskQueue.Redis.Tests.LockedDown;

/// <summary>
/// The least-privilege ACL of a store user, as documented in src/TaskQueue.Redis/README.md ("Locking Redis down"):
/// the keys and channels of one key prefix and exactly the commands the store and StackExchange.Redis send.
/// </summary>
internal static class LeastPrivilegeAcl
{
    /// <summary>Sent by the store itself: scripts (and the SCRIPT LOAD on connect), the registry, readers, pub/sub.</summary>
    public static readonly string[] StoreCommands =
    [
        "evalsha", "eval", "script|load", "sadd", "smembers", "hget", "hgetall", "zscore", "mget", "time", "subscribe", "unsubscribe", "ping",
    ];

    /// <summary>
    /// Sent by StackExchange.Redis on connect and as its heartbeat (server type and version, tie-breaker, config channel).
    /// Redis 7.2 and later also need <c>client|setinfo</c>, which Redis 7.0 (the tests' server) does not know.
    /// </summary>
    public static readonly string[] ClientLibraryCommands =
    [
        "client|setname", "client|id", "info", "cluster|nodes", "echo", "select", "get", "quit",
    ];

    /// <summary>Called by the Lua scripts (redis.call), checked against the same ACL.</summary>
    public static readonly string[] ScriptCommands =
    [
        "del", "exists", "get", "set", "pexpire", "persist", "incrby", "time", "publish",
        "hget", "hmget", "hset", "hdel", "hincrby",
        "lpush", "rpush", "lpop", "lrange", "lindex", "llen", "lrem", "ltrim",
        "zadd", "zrem", "zcard", "zscore", "zrange", "zrangebyscore", "zremrangebyscore",
    ];

    /// <summary>Every command the user is allowed, each once, in the order of the lists above.</summary>
    public static IEnumerable<string> Commands => StoreCommands.Concat(ClientLibraryCommands).Concat(ScriptCommands).Distinct(StringComparer.Ordinal);

    /// <summary>The rules after the user name of <c>ACL SETUSER</c>, for <paramref name="prefix"/>, without <paramref name="except"/>.</summary>
    public static string[] Rules(string prefix, string password, string? except = null) =>
    [
        "reset", "on", $">{password}",
        $"~{{{prefix}}}:*", $"~{{{prefix}:*", "%R~__Booksleeve_TieBreak",
        $"&{prefix}:*", "&__Booksleeve_MasterChanged",
        "-@all", .. Commands.Where(c => c != except).Select(c => "+" + c),
    ];

    /// <summary>The whole command line, as the README shows it for the default prefix.</summary>
    public static string Line(string user, string prefix, string password) => $"ACL SETUSER {user} {string.Join(' ', Rules(prefix, password))}";
}
