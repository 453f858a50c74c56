namespace TaskQueue.Processing;

/// <summary>
/// Capped exponential backoff after store failures (Redis down, timeouts): 100 ms, 200 ms, ... up to 5 s (so a worker resumes within seconds of Redis returning),
/// back to the start after a success. One instance per loop; not thread-safe.
/// </summary>
internal sealed class StoreBackoff(TimeProvider time)
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    private int _failures;

    /// <summary>The delay the next <see cref="DelayAsync"/> waits.</summary>
    public TimeSpan NextDelay => TimeSpan.FromTicks(Math.Min(Max.Ticks, Initial.Ticks << Math.Min(_failures, 20)));

    public void Reset() => _failures = 0;

    /// <summary>Waits the next delay and grows it; returns false when <paramref name="cancellationToken"/> fired instead.</summary>
    public async Task<bool> DelayAsync(CancellationToken cancellationToken)
    {
        var delay = NextDelay;
        _failures++;
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
