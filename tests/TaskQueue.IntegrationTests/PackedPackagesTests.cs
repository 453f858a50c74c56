using System.IO.Compression;
using Xunit.Abstractions;

namespace TaskQueue.IntegrationTests;

/// <summary>
/// The packages work on their own: packed with the README's command, referenced by PackageReference from a
/// new app, the generator inside the TaskQueue package writes the app's jobs and the worker runs them.
/// </summary>
public sealed class PackedPackagesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task App_referencing_the_packed_packages_enqueues_and_runs_a_generated_job()
    {
        var temp = Path.Combine(Path.GetTempPath(), "tq-packed-" + Guid.NewGuid().ToString("N"));
        var feed = Path.Combine(temp, "feed");
        var app = Path.Combine(temp, "app");
        Directory.CreateDirectory(app);
        // A version no cache can hold yet; the test's own build output is packed as is (--no-build).
        var version = "0.1.0-packtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var pack = await ProcessRunner.RunAsync(
                "bash",
                [Path.Combine(RepositoryPaths.Root, "build.sh"), "pack", "--no-build", $"-p:Version={version}"],
                RepositoryPaths.Root,
                TimeSpan.FromMinutes(3),
                new Dictionary<string, string> { ["PACKAGES_DIR"] = feed, ["CONFIGURATION"] = RepositoryPaths.Configuration });
            output.WriteLine(pack.Output);
            Assert.True(pack.ExitCode == 0, $"pack failed ({pack.ExitCode}):\n{pack.Output}");
            using (var core = ZipFile.OpenRead(Path.Combine(feed, $"TaskQueue.{version}.nupkg")))
            {
                Assert.Contains(core.Entries, e => e.FullName == "analyzers/dotnet/cs/TaskQueue.Generators.dll");
                Assert.Contains(core.Entries, e => e.FullName == "analyzers/dotnet/cs/TaskQueue.Analyzers.dll");
            }

            // The HTTP API package is packed beside the others and depends on TaskQueue (its own API is tested in TaskQueue.Dashboard.Tests).
            using (var dashboard = ZipFile.OpenRead(Path.Combine(feed, $"TaskQueue.Dashboard.{version}.nupkg")))
            {
                Assert.Contains(dashboard.Entries, e => e.FullName == "lib/net10.0/TaskQueue.Dashboard.dll");
            }

            PackedApp.Write(app, feed, Path.Combine(temp, "packages"), MachinePackagesFolder(), version);
            var build = await ProcessRunner.RunAsync("dotnet", ["build", "-c", "Release"], app, TimeSpan.FromMinutes(5));
            output.WriteLine(build.Output);
            Assert.True(build.ExitCode == 0, $"the app did not build ({build.ExitCode}):\n{build.Output}");

            var run = await ProcessRunner.RunAsync("dotnet", [Path.Combine(app, "bin", "Release", "net10.0", "PackedApp.dll")], app, TimeSpan.FromSeconds(60));
            output.WriteLine(run.Output);
            Assert.Equal(0, run.ExitCode);
            Assert.Contains(PackedApp.Greeting, run.Output, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is not worth failing the test for.
            }
        }
    }

    private static string MachinePackagesFolder()
        => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
