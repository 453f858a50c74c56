namespace TaskQueue;

/// <summary>How long to wait before the next attempt of a failed job.</summary>
public sealed record RetryPolicy
{
    /// <summary>Exponential with jitter from one second, capped at one hour.</summary>
    public static RetryPolicy Default { get; } = new(RetryStrategy.ExponentialJitter, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

    /// <summary>Creates a policy.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A delay is negative or the base is above the cap.</exception>
    public RetryPolicy(RetryStrategy strategy, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        Strategy = strategy;
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
    }

    /// <summary>How the delay grows.</summary>
    public RetryStrategy Strategy { get; }

    /// <summary>The delay before the first retry.</summary>
    public TimeSpan BaseDelay { get; }

    /// <summary>The longest delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>
    /// The delay before retry number <paramref name="retry"/> (1 for the first retry).
    /// <paramref name="jitter"/> is a number in [0, 1) used only by <see cref="RetryStrategy.ExponentialJitter"/>.
    /// </summary>
    public TimeSpan GetDelay(int retry, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var baseTicks = (double)BaseDelay.Ticks;
        var ticks = Strategy switch
        {
            RetryStrategy.Fixed => baseTicks,
            RetryStrategy.Linear => baseTicks * retry,
            _ => baseTicks * Math.Pow(2, Math.Min(retry - 1, 62)),
        };
        ticks = Math.Min(ticks, MaxDelay.Ticks);
        if (Strategy == RetryStrategy.ExponentialJitter)
        {
            // "Equal jitter": half fixed, half random, so retries spread out but never come back at once.
            ticks = (ticks / 2) + (ticks / 2 * Math.Clamp(jitter, 0, 1));
        }

        return TimeSpan.FromTicks((long)ticks);
    }
}
