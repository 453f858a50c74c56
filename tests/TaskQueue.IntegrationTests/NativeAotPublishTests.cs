using System.Text.RegularExpressions;
using TaskQueue.TestSupport;
using Xunit.Abstractions;

namespace TaskQueue.IntegrationTests;

/// <summary>The sample worker and the tq command line publish as NativeAOT with no trim/AOT warnings and work, in memory and on Redis.</summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed partial class NativeAotPublishTests(RedisServerFixture redis, ITestOutputHelper output)
{
    [Fact]
    public async Task Sample_worker_publishes_with_NativeAOT_without_warnings_and_processes_jobs_in_memory_and_on_redis()
    {
        var root = RepositoryPaths.Root;
        var artifacts = Path.Combine(Path.GetTempPath(), "tq-aot-" + Guid.NewGuid().ToString("N"));
        try
        {
            // A private artifacts path keeps this publish from racing the solution build's obj folders.
            var publish = await ProcessRunner.RunAsync(
                "dotnet",
                ["publish", "samples/Worker/Worker.csproj", "-c", "Release", "-r", "linux-x64", "--artifacts-path", artifacts, "-p:TreatWarningsAsErrors=false"],
                root,
                TimeSpan.FromMinutes(10));
            output.WriteLine(publish.Output);
            Assert.True(publish.ExitCode == 0, $"publish failed ({publish.ExitCode}):\n{publish.Output}");
            var trimWarnings = TrimOrAotWarning().Matches(publish.Output).Select(m => m.Value).Distinct().ToList();
            Assert.True(trimWarnings.Count == 0, "trim/AOT warnings:\n" + string.Join('\n', trimWarnings));

            var binary = Directory.GetFiles(Path.Combine(artifacts, "publish"), "TaskQueue.SampleWorker", SearchOption.AllDirectories).Single();
            output.WriteLine($"binary size: {new FileInfo(binary).Length / 1024.0 / 1024.0:0.0} MiB");

            var inMemory = await ProcessRunner.RunAsync(binary, ["--demo", "500"], Path.GetDirectoryName(binary)!, TimeSpan.FromSeconds(60));
            output.WriteLine(inMemory.Output);
            Assert.Equal(0, inMemory.ExitCode);
            Assert.Contains("store in-memory", inMemory.Output);
            Assert.Contains("processed 502/502 jobs", inMemory.Output);

            var connection = $"{redis.ConnectionString},keyPrefix={RedisServerFixture.NewKeyPrefix()}";
            var onRedis = await ProcessRunner.RunAsync(binary, ["--demo", "500", "--redis", connection], Path.GetDirectoryName(binary)!, TimeSpan.FromSeconds(60));
            output.WriteLine(onRedis.Output);
            Assert.Equal(0, onRedis.ExitCode);
            Assert.Contains("store redis", onRedis.Output);
            Assert.Contains("processed 502/502 jobs", onRedis.Output);
        }
        finally
        {
            try
            {
                Directory.Delete(artifacts, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is not worth failing the test for.
            }
        }
    }

    [Fact]
    public async Task Tq_command_line_publishes_with_NativeAOT_without_warnings_and_reads_redis()
    {
        var artifacts = Path.Combine(Path.GetTempPath(), "tq-cli-aot-" + Guid.NewGuid().ToString("N"));
        try
        {
            var publish = await ProcessRunner.RunAsync(
                "dotnet",
                ["publish", "src/TaskQueue.Cli/TaskQueue.Cli.csproj", "-c", "Release", "-r", "linux-x64", "--artifacts-path", artifacts, "-p:TreatWarningsAsErrors=false"],
                RepositoryPaths.Root,
                TimeSpan.FromMinutes(10));
            output.WriteLine(publish.Output);
            Assert.True(publish.ExitCode == 0, $"publish failed ({publish.ExitCode}):\n{publish.Output}");
            var trimWarnings = TrimOrAotWarning().Matches(publish.Output).Select(m => m.Value).Distinct().ToList();
            Assert.True(trimWarnings.Count == 0, "trim/AOT warnings:\n" + string.Join('\n', trimWarnings));

            var binary = Directory.GetFiles(Path.Combine(artifacts, "publish"), "tq", SearchOption.AllDirectories).Single();
            output.WriteLine($"binary size: {new FileInfo(binary).Length / 1024.0 / 1024.0:0.0} MiB");
            var prefix = RedisServerFixture.NewKeyPrefix();
            var enqueue = await ProcessRunner.RunAsync(binary, ["--redis", redis.ConnectionString, "--prefix", prefix, "enqueue", "aot-job", "{\"n\":1}", "--json"], RepositoryPaths.Root, TimeSpan.FromSeconds(30));
            var list = await ProcessRunner.RunAsync(binary, ["--redis", redis.ConnectionString, "--prefix", prefix, "jobs", "list", "--json"], RepositoryPaths.Root, TimeSpan.FromSeconds(30));

            Assert.Equal(0, enqueue.ExitCode);
            Assert.Equal(0, list.ExitCode);
            Assert.Contains("\"name\": \"aot-job\"", list.Output, StringComparison.Ordinal);
            Assert.Contains("\"n\": 1", list.Output, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(artifacts, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is not worth failing the test for.
            }
        }
    }

    // "warning IL2026: ..." (trimming) and "warning IL3050: ..." (AOT), as the linker and ILC print them.
    [GeneratedRegex(@"(warning|error) IL[23]\d{3}[^\r\n]*")]
    private static partial Regex TrimOrAotWarning();
}
