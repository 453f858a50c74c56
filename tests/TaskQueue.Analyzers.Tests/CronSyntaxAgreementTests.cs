using Cronos;
using TaskQueue.Generators.Shared;

namespace TaskQueue.Analyzers.Tests;

/// <summary>The analyzers' own cron check must accept exactly what Cronos, the runtime's parser, accepts.</summary>
public sealed class CronSyntaxAgreementTests
{
    public static TheoryData<string> Expressions() =>
    [
        "* * * * *", "*/5 * * * *", "0 3 * * *", "0 8 * * MON", "0 8 * * mon-fri", "0 0 1 JAN *", "0 0 1 jan-mar,oct *",
        "30 2 * * *", "0 0 L * *", "0 0 L-3 * *", "0 0 LW * *", "0 0 15W * *", "0 0 * * 5L", "0 0 * * FRI#3", "0 0 ? * MON",
        "0 0 * * ?", "0 0 1 * 7", "0 0 1 * 0", "0 12 1-15/2 * *", "5/15 * * * *", "0-59/10 * * * *", "0 0 1,15,L * *",
        "* * * * * *", "*/10 * * * * *", "0 0 3 * * *", "59 59 23 31 12 6", "@daily", "@hourly", "@every_minute", "@every_second",
        "@weekly", "@monthly", "@yearly", "@annually", "@midnight",
        // Invalid
        "", "* * * *", "* * * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * 32 * *", "* * * 13 *", "* * * 0 *",
        "* * * * 8", "*/0 * * * *", "*/61 * * * *", "5-70 * * * *", "a * * * *", "* * * FOO *", "* * * * FUNDAY", "? * * * *",
        "* ? * * *", "0 0 L-31 * *", "0 0 32W * *", "0 0 0W * *", "0 0 * * 8L", "0 0 * * MON#6", "0 0 * * MON#0", "1,,2 * * * *",
        "@sometimes", "60 * * * * *", "-5 * * * *", "5- * * * *", "0 0 * * 1-", "0 0 W * *", "0 0 * * #2",
        "0 0 L * 1", "10-5 * * * *", "0 0 15W,1 * *", "0 0 * * 5L,1", "0 0 * * MON#1,FRI", "0 0 * * WED,SAT", "0 0 * JUL,AUG *",
        "0 0 * * SUN-WED/2,FRI", "0 0 * * FRI-MON", "0 0 1 DEC-JAN *",
    ];

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Analyzer_cron_check_agrees_with_Cronos(string expression)
    {
        var cronos = CronosAccepts(expression);
        var ours = CronSyntax.Check(expression);

        Assert.True(cronos == (ours is null), $"'{expression}': Cronos {(cronos ? "accepts" : "rejects")} it, the analyzer says {ours ?? "valid"}");
    }

    private static bool CronosAccepts(string expression)
    {
        try
        {
            var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return true;
        }
        catch (CronFormatException)
        {
            return false;
        }
        catch (ArgumentNullException)
        {
            return false;
        }
    }
}
