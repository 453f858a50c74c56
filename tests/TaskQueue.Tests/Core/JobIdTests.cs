using System.Globalization;
using Xunit;

namespace TaskQueue.Tests.Core;

public sealed class JobIdTests
{
    [Fact]
    public void New_ids_are_uuid_version_7_in_32_lowercase_hex_digits()
    {
        var id = JobId.New().Value;

        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal('7', id[12]);
        Assert.Contains(id[16], "89ab");
        var parsed = Guid.ParseExact(id, "N");
        Assert.Equal(7, parsed.Version);
    }

    [Fact]
    public void New_ids_carry_the_creation_time_in_milliseconds()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = JobId.New().Value;
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var stamp = long.Parse(id.AsSpan(0, 12), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.InRange(stamp, before, after);
    }

    [Fact]
    public void Ids_made_at_the_same_millisecond_differ_past_one_block_of_random_bytes()
    {
        // 1,000 ids use 10,000 random bytes: more than two 4 KB refills of the generator's block.
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 1000).Select(_ => JobIdGenerator.NewId(now)).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.StartsWith(ids[0][..12], id, StringComparison.Ordinal));
    }

    [Fact]
    public void Ids_sort_by_creation_time_across_milliseconds()
    {
        var start = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 50).Select(i => JobIdGenerator.NewId(start.AddMilliseconds(i))).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ids_made_on_many_threads_at_once_are_distinct()
    {
        var ids = new string[8][];
        Parallel.For(0, ids.Length, t => ids[t] = Enumerable.Range(0, 2000).Select(_ => JobId.New().Value).ToArray());

        var all = ids.SelectMany(batch => batch).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
    }
}
