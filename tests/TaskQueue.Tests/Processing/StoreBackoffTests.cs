using Microsoft.Extensions.Time.Testing;
using TaskQueue.Processing;
using Xunit;

namespace TaskQueue.Tests.Processing;

public sealed class StoreBackoffTests
{
    [Fact]
    public async Task Backoff_doubles_from_100_ms_caps_at_5_s_and_resets_after_a_success()
    {
        var time = new FakeTimeProvider();
        var backoff = new StoreBackoff(time);
        var seen = new List<TimeSpan>();

        for (var i = 0; i < 8; i++)
        {
            seen.Add(backoff.NextDelay);
            var delay = backoff.DelayAsync(CancellationToken.None);
            time.Advance(backoff.NextDelay); // more than enough to end the pending wait
            Assert.True(await delay);
        }

        Assert.Equal(
            [100, 200, 400, 800, 1600, 3200, 5000, 5000],
            seen.Select(d => (int)d.TotalMilliseconds));
        backoff.Reset();
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.NextDelay);
    }
}
