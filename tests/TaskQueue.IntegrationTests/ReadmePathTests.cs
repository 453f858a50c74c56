using System.Text.RegularExpressions;

namespace TaskQueue.IntegrationTests;

/// <summary>Every repository path the README names in backticks (the "Where is it" table, the layout) exists.</summary>
public sealed partial class ReadmePathTests
{
    [Fact]
    public void Every_path_the_readme_names_exists()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var paths = RepositoryPath().Matches(readme).Select(m => m.Groups["path"].Value).Distinct().ToList();

        Assert.True(paths.Count >= 20, $"only {paths.Count} paths found");
        var missing = paths.Where(p => !File.Exists(Path.Combine(RepositoryPaths.Root, p)) && !Directory.Exists(Path.Combine(RepositoryPaths.Root, p))).ToList();
        Assert.True(missing.Count == 0, "the README names paths that do not exist:\n" + string.Join('\n', missing));
    }

    // `src/...`, `docs/...` and the other top-level folders; a path with a placeholder (<, {, *) is not one file.
    [GeneratedRegex(@"`(?<path>(src|generators|analyzers|samples|tests|docs|benchmarks)/[^`<>{}*\s]*)`")]
    private static partial Regex RepositoryPath();
}
