using System.Diagnostics;

namespace TaskQueue.Analyzers.Tests;

/// <summary>
/// The analyzer as a real build loads it: a throwaway project referencing the core and the analyzer project
/// (as an analyzer only), built with the dotnet CLI. Proves the TQ error fails the build at the right line.
/// </summary>
public sealed class BuildIntegrationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tq-analyzer-build-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Build_fails_with_TQ0001_at_the_stream_parameter()
    {
        var repo = FindRepositoryRoot();
        Directory.CreateDirectory(_directory);

        // Empty props/targets stop MSBuild from walking up into anything above the temp directory.
        File.WriteAllText(Path.Combine(_directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(_directory, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(_directory, "Directory.Packages.props"), "<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(_directory, "Sample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Path.Combine(repo, "src", "TaskQueue", "TaskQueue.csproj")}" />
                <ProjectReference Include="{Path.Combine(repo, "analyzers", "TaskQueue.Analyzers", "TaskQueue.Analyzers.csproj")}"
                                  OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
            </Project>
            """);
        const string source = """
            using TaskQueue;

            namespace Sample;

            public static class Uploads
            {
                [Job]
                public static Task Upload(string name, Stream content) => Task.CompletedTask;
            }
            """;
        File.WriteAllText(Path.Combine(_directory, "Uploads.cs"), source);
        var lines = source.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("Stream content", StringComparison.Ordinal));
        var column = lines[line].IndexOf("content", StringComparison.Ordinal);

        // The test run already built the referenced projects; not rebuilding them keeps this one build
        // from racing the test host (or other builds) for their bin/obj. They were built in this test
        // assembly's configuration (bin/<Configuration>/net10.0), so build the sample in the same one.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var (exitCode, output) = Run("dotnet", $"build \"{Path.Combine(_directory, "Sample.csproj")}\" -c {configuration} -p:BuildProjectReferences=false -nologo -clp:NoSummary");

        Assert.NotEqual(0, exitCode);
        var expected = $"Uploads.cs({line + 1},{column + 1}): error TQ0001: Job 'Upload': parameter 'content' cannot be serialized";
        Assert.True(output.Contains(expected, StringComparison.Ordinal), $"expected '{expected}' in:\n{output}");
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static (int ExitCode, string Output) Run(string fileName, string arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Inherited test-host variables (e.g. MSBuild's from the outer build) would confuse the inner build.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("dotnet build did not finish within 4 minutes:\n" + stdout);
        }

        return (process.ExitCode, stdout + stderr.Result);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TaskQueue.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TaskQueue.sln not found above " + AppContext.BaseDirectory);
    }
}
