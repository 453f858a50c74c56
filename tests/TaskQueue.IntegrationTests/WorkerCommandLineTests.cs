using Xunit.Abstractions;

namespace TaskQueue.IntegrationTests;

/// <summary>The sample worker's command line: <c>--help</c> succeeds, anything it does not know is an error.</summary>
public sealed class WorkerCommandLineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Help_prints_the_usage_on_stdout_and_exits_0()
    {
        var run = await RunWorkerAsync("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("usage: TaskQueue.SampleWorker", run.Output, StringComparison.Ordinal);
        Assert.Contains("--redis CONNECTION", run.Output, StringComparison.Ordinal);
        Assert.Empty(run.StandardError);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--demo", "many")]
    public async Task Unknown_or_malformed_arguments_print_the_usage_on_stderr_and_exit_2(params string[] arguments)
    {
        var run = await RunWorkerAsync(arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("usage: TaskQueue.SampleWorker", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("worker started", run.Output, StringComparison.Ordinal);
    }

    private async Task<ProcessRunner.Result> RunWorkerAsync(params string[] arguments)
    {
        var dll = WorkerProcess.SampleWorkerDll;
        var run = await ProcessRunner.RunAsync("dotnet", [dll, .. arguments], Path.GetDirectoryName(dll)!, TimeSpan.FromSeconds(30));
        output.WriteLine(run.Output);
        return run;
    }
}
