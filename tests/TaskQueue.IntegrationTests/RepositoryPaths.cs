namespace TaskQueue.IntegrationTests;

/// <summary>Finds the repository root from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>This test build's configuration (Debug or Release), from its output folder .../bin/CONFIGURATION/net10.0/.</summary>
    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>A sample's JIT build in this test build's configuration: samples/NAME/bin/CONFIGURATION/net10.0/DLL.</summary>
    public static string SampleDll(string sample, string dll)
    {
        var path = Path.Combine(Root, "samples", sample, "bin", Configuration, "net10.0", dll);
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
