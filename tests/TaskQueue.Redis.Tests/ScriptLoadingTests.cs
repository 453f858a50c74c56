using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>Runs on the fault-test server: its collection is sequential, so command statistics are this test's alone.</summary>
[Collection(AppendOnlyRedisServerFixture.CollectionName)]
public sealed class ScriptLoadingTests(AppendOnlyRedisServerFixture server) : RedisStoreTestBase(server)
{
    [Fact]
    public async Task Scripts_run_by_sha_and_recover_from_a_flushed_script_cache()
    {
        await Store.ScriptsLoaded;
        await Server.ExecuteAsync("CONFIG", "RESETSTAT");

        for (var i = 0; i < 5; i++)
        {
            await Store.EnqueueAsync(Job());
        }

        var (evalsha, eval) = await CommandCountsAsync();
        Assert.True(evalsha >= 5, $"evalsha calls: {evalsha}");
        Assert.Equal(0, eval);

        await Server.ExecuteAsync("SCRIPT", "FLUSH");
        await Store.EnqueueAsync(Job());

        Assert.Equal(6, (await Store.GetQueueStatsAsync(Queue)).Pending);

        // Every script, not only the one that hit NOSCRIPT first, is sent again as text.
        await Server.ExecuteAsync("SCRIPT", "FLUSH");
        Assert.Equal(6, (await FetchAsync(max: 10)).Count);
    }

    private async Task<(long EvalSha, long Eval)> CommandCountsAsync()
    {
        var info = (string)(await Server.ExecuteAsync("INFO", "commandstats"))!;
        return (Calls(info, "cmdstat_evalsha:"), Calls(info, "cmdstat_eval:"));
    }

    private static long Calls(string info, string prefix)
    {
        var line = info.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        var calls = line[(line.IndexOf("calls=", StringComparison.Ordinal) + "calls=".Length)..];
        return long.Parse(calls[..calls.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }
}
