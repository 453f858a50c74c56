namespace TaskQueue;

/// <summary>How the delay before a retry grows with the attempt number.</summary>
public enum RetryStrategy
{
    /// <summary><c>base * 2^(retry-1)</c>, capped, with full jitter (a random delay between half and all of it). The default.</summary>
    ExponentialJitter = 0,

    /// <summary>Always the base delay.</summary>
    Fixed = 1,

    /// <summary><c>base * retry</c>, capped.</summary>
    Linear = 2,
}
