using Xunit;

namespace TaskQueue.Redis.Tests;

public sealed class ScriptConventionTests
{
    public static TheoryData<string> ScriptNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in typeof(RedisJobStore).Assembly.GetManifestResourceNames().Where(n => !n.EndsWith("_prelude.lua", StringComparison.Ordinal)))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ScriptNames))]
    public void Every_script_starts_with_a_header_listing_keys_argv_and_returns(string resource)
    {
        using var reader = new StreamReader(typeof(RedisJobStore).Assembly.GetManifestResourceStream(resource)!);
        var header = string.Concat(reader.ReadToEnd().Split('\n').TakeWhile(l => l.StartsWith("--", StringComparison.Ordinal)));

        Assert.Contains("KEYS", header, StringComparison.Ordinal);
        Assert.Contains("ARGV", header, StringComparison.Ordinal);
        Assert.Contains("Returns", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_embedded_script_is_in_the_list_loaded_on_connect()
    {
        Assert.Equal(ScriptNames().Count, RedisScripts.All.Distinct().Count());
    }
}
