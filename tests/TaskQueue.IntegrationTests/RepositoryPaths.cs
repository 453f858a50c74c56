namespace TaskQueue.IntegrationTests;

/// <summary>Finds the repository root from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TaskQueue.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No TaskQueue.sln above {AppContext.BaseDirectory}.");
    }
}
