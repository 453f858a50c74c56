using System.Diagnostics;

namespace TaskQueue.TestSupport;

/// <summary>Bounded polling for tests that wait for something to happen on a real clock.</summary>
public static class Eventually
{
    /// <summary>The longest any condition is waited for before the test fails.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it is true; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
        => TrueAsync(condition, () => what, timeout);

    /// <summary>As above; <paramref name="what"/> is read when the wait fails, so it can say what was last seen.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit} for: {what()}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Polls <paramref name="produce"/> until it returns non-null, and returns that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> produce, string what, TimeSpan? timeout = null)
        where T : class
    {
        T? value = null;
        await TrueAsync(async () => (value = await produce().ConfigureAwait(false)) is not null, what, timeout).ConfigureAwait(false);
        return value!;
    }
}
