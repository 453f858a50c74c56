namespace TaskQueue.Benchmarks;

/// <summary>What a workload run gets: the options, the private redis-server and where the harness lives.</summary>
internal sealed class BenchContext(BenchOptions options, RedisServer server)
{
    public BenchOptions Options { get; } = options;

    public RedisServer Server { get; } = server;

    /// <summary>The repository root (holds benchmarks/peers), found upwards from the working directory.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TaskQueue.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Run the harness from inside the TaskQueue repository (TaskQueue.sln not found upwards from " + Environment.CurrentDirectory + ").");
        }
    }

    public int JobsOr(int fallback) => Options.Jobs ?? fallback;
}
