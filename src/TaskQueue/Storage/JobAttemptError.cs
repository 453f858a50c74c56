namespace TaskQueue.Storage;

/// <summary>The error one failed attempt of a job ended with.</summary>
/// <param name="Attempt">The attempt number (1 = the first run).</param>
/// <param name="FailedAt">When the store recorded it.</param>
/// <param name="Error">The exception type, message and stack.</param>
public sealed record JobAttemptError(int Attempt, DateTimeOffset FailedAt, string Error)
{
    /// <summary>How many attempts' errors a job keeps (the oldest are dropped first).</summary>
    public const int MaxKept = 10;
}
