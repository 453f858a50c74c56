namespace TaskQueue;

/// <summary>How the delay before a retry grows with the attempt number.</summary>
public enum RetryStrategy
{
    /// <summary>
    /// <c>base * 2^(retry-1)</c>, capped, with "equal jitter": half of that delay is fixed and half is random, so the wait
    /// is between half and all of it (retries of many jobs spread out, yet never come back at once). The default.
    /// </summary>
    ExponentialJitter = 0,

    /// <summary>Always the base delay.</summary>
    Fixed = 1,

    /// <summary><c>base * retry</c>, capped.</summary>
    Linear = 2,
}
