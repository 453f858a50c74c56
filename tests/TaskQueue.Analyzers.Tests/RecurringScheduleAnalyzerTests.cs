using Verify = TaskQueue.Analyzers.Tests.Verifiers.AnalyzerVerifier<TaskQueue.Analyzers.RecurringScheduleAnalyzer>;

namespace TaskQueue.Analyzers.Tests;

public sealed class RecurringScheduleAnalyzerTests
{
    private static string Code(string body) => """
        using System.Threading;
        using System.Threading.Tasks;
        using TaskQueue;
        using TaskQueue.Scheduling;

        namespace App
        {
            public enum Region { Eu, Us }

            public static class Reports
            {

        """ + body + """

            }
        }
        """;

    [Fact]
    public async Task Valid_declarations_produce_no_diagnostic()
        => await Verify.VerifyAsync(Code("""
                [Job(Cron = "*/5 * * * *", TimeZone = "Europe/Berlin")]
                public static Task Heartbeat(CancellationToken ct) => Task.CompletedTask;

                [Job]
                [Recurring("nightly-eu", "0 3 * * *", Region.Eu, 30, TimeZone = "Europe/Berlin")]
                [Recurring("nightly-us", "0 0 3 L * ?", Region.Us, 45, TimeZone = "America/New_York", Misfire = MisfirePolicy.RunAll, MaxCatchUp = 5)]
                public static Task Nightly(Region region, int days) => Task.CompletedTask;

                [Job(Cron = "@daily")]
                public static Task Daily() => Task.CompletedTask;
            """));

    [Fact]
    public async Task An_invalid_cron_expression_is_TQ0022()
        => await Verify.VerifyAsync(Code("""
                [{|TQ0022:Job(Cron = "61 * * * *")|}]
                public static Task Heartbeat() => Task.CompletedTask;

                [Job]
                [{|TQ0022:Recurring("r", "0 3 * *", 1)|}]
                public static Task Nightly(int days) => Task.CompletedTask;
            """));

    [Fact]
    public async Task An_unknown_time_zone_is_TQ0023()
        => await Verify.VerifyAsync(Code("""
                [{|TQ0023:Job(Cron = "0 3 * * *", TimeZone = "Europe/Atlantis")|}]
                public static Task Heartbeat() => Task.CompletedTask;

                [Job]
                [{|TQ0023:Recurring("r", "0 3 * * *", 1, TimeZone = "Mars/Olympus")|}]
                public static Task Nightly(int days) => Task.CompletedTask;
            """));

    [Fact]
    public async Task Declarations_that_cannot_be_registered_are_TQ0024()
        => await Verify.VerifyAsync(Code("""
                [{|TQ0024:Job(Cron = "0 3 * * *")|}]
                public static Task WithArguments(int days) => Task.CompletedTask;

                [Job]
                [{|TQ0024:Recurring("too-few", "0 3 * * *")|}]
                [{|TQ0024:Recurring("bad name!", "0 3 * * *", 1)|}]
                [{|TQ0024:Recurring("catch-up", "0 3 * * *", 1, MaxCatchUp = 0)|}]
                [{|TQ0024:Recurring("twice", "0 3 * * *", 1)|}]
                [{|TQ0024:Recurring("twice", "0 4 * * *", 2)|}]
                public static Task Nightly(int days) => Task.CompletedTask;
            """));
}
