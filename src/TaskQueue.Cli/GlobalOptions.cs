using System.CommandLine;

namespace TaskQueue.Cli;

/// <summary>The options every command takes: where Redis is, which key prefix, and the output format.</summary>
internal static class GlobalOptions
{
    /// <summary>The environment variable that holds the connection string when <c>--redis</c> is not given.</summary>
    public const string RedisVariable = "TASKQUEUE_REDIS";

    /// <summary>The environment variable that holds the key prefix when <c>--prefix</c> is not given.</summary>
    public const string PrefixVariable = "TASKQUEUE_PREFIX";

    public static readonly Option<string> Redis = new("--redis", "-r")
    {
        Description = $"Redis connection string (StackExchange.Redis format; may carry keyPrefix=). Default: ${RedisVariable}, else localhost:6379.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(RedisVariable) is { Length: > 0 } value ? value : "localhost:6379",
    };

    public static readonly Option<string?> Prefix = new("--prefix")
    {
        Description = $"Key prefix of the app's jobs. Default: ${PrefixVariable}, else the connection string's keyPrefix=, else tq.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(PrefixVariable) is { Length: > 0 } value ? value : null,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write JSON for scripts instead of tables.",
        Recursive = true,
    };

    public static readonly Option<double> Timeout = new("--timeout")
    {
        Description = "Seconds to wait for Redis to answer before giving up (exit code 4).",
        Recursive = true,
        DefaultValueFactory = _ => 5,
    };
}
