using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace TaskQueue.IntegrationTests;

/// <summary>The README's first command: the quick start shows priorities, the delayed job, the retry and the dead letter.</summary>
public sealed partial class QuickStartSampleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Quick_start_runs_jobs_in_priority_order_retries_one_dead_letters_one_and_exits_by_itself()
    {
        var dll = RepositoryPaths.SampleDll("QuickStart", "QuickStart.dll");

        var run = await ProcessRunner.RunAsync("dotnet", [dll], Path.GetDirectoryName(dll)!, TimeSpan.FromSeconds(30));
        output.WriteLine(run.Output);

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n');
        int Line(string text) => Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));

        // Enqueued low first, run critical -> high -> normal -> low.
        Assert.True(Line("[critical] charged") >= 0, "no critical job ran");
        Assert.True(Line("[critical] charged") < Line("[high] sent email"));
        Assert.True(Line("[high] sent email") < Line("[normal] resized"));
        Assert.True(Line("[normal] resized") < Line("[low] rebuilt the search index"));
        Assert.True(Line("[delayed] reminder") >= 0, "the delayed job did not run");
        Assert.True(Line("timed out on attempt 2") < Line("answered on attempt 3"));
        Assert.True(Line("dead letter: ImportLegacyFeed") >= 0, "no dead letter listed");
        Assert.Contains("idempotent enqueue returned the same id: True", run.Output);
        Assert.Contains("done: 9/9 jobs finished", run.Output);

        // One line per event: every line starts with its time, and failures show no stack trace, only type and message.
        Assert.All(lines.Where(l => l.Trim().Length > 0), l => Assert.Matches(EventLine(), l));
        Assert.DoesNotContain(" at QuickStart.", run.Output, StringComparison.Ordinal);
        Assert.Contains("(System.IO.InvalidDataException: https://legacy.example/feed.xml is not a valid feed.)", run.Output, StringComparison.Ordinal);
    }

    // "14:25:49.637 info: QuickStart enqueued 9 jobs; ..."
    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{3} (trce|dbug|info|warn|fail|crit): \S+ ")]
    private static partial Regex EventLine();
}
