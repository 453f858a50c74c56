namespace TaskQueue.IntegrationTests;

/// <summary>Finds the repository root from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>A sample's JIT build in this test build's configuration: samples/NAME/bin/CONFIGURATION/net10.0/DLL.</summary>
    public static string SampleDll(string sample, string dll)
    {
        // .../tests/TaskQueue.IntegrationTests/bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(Root, "samples", sample, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build samples/{sample} first: {path} is missing.", path);
    }

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
