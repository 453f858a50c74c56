using System.CommandLine;

namespace TaskQueue.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string> Queue() => new("--queue", "-q")
    {
        Description = "The queue.",
        DefaultValueFactory = _ => JobDefaults.Queue,
    };

    public static Option<int> Offset() => new("--offset")
    {
        Description = "How many to skip.",
        DefaultValueFactory = _ => 0,
    };

    public static Option<int> Count() => new("--count", "-n")
    {
        Description = "How many to show (1-500).",
        DefaultValueFactory = _ => 20,
    };

    public static Argument<string> Id(string description = "The job id.") => new("id") { Description = description };
}
