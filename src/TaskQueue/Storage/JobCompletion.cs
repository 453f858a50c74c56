namespace TaskQueue.Storage;

/// <summary>How an attempt ended.</summary>
public enum CompletionKind
{
    /// <summary>The handler returned: store the result, count processed, free a unique-until-finished key.</summary>
    Succeeded = 0,

    /// <summary>The handler failed and has retries left: schedule it after <see cref="JobCompletion.RetryDelay"/>.</summary>
    Retry = 1,

    /// <summary>The handler failed for good: move to dead letters with the error.</summary>
    DeadLetter = 2,

    /// <summary>The worker is shutting down: put the job back to ready without counting this attempt.</summary>
    Release = 3,

    /// <summary>
    /// The worker has no handler for the job's name (a rolling deploy, or another app's job on a shared queue): not the
    /// job's fault, so schedule it again after <see cref="JobCompletion.RetryDelay"/> without counting this attempt, keep
    /// <see cref="JobCompletion.Error"/> as its last error, and add one to its <see cref="LeasedJob.Deferrals"/>.
    /// </summary>
    Defer = 4,
}

/// <summary>The outcome of one attempt, sent to the store in batches.</summary>
public sealed record JobCompletion
{
    /// <summary>The lease of the attempt.</summary>
    public required LeaseHandle Lease { get; init; }

    /// <summary>What happened.</summary>
    public required CompletionKind Kind { get; init; }

    /// <summary>The result as UTF-8 JSON for <see cref="CompletionKind.Succeeded"/>, or null.</summary>
    public ReadOnlyMemory<byte>? Result { get; init; }

    /// <summary>The wait before the next attempt, for <see cref="CompletionKind.Retry"/> and <see cref="CompletionKind.Defer"/>.</summary>
    public TimeSpan RetryDelay { get; init; }

    /// <summary>The error (type, message and stack) for <see cref="CompletionKind.Retry"/>, <see cref="CompletionKind.DeadLetter"/> and <see cref="CompletionKind.Defer"/>.</summary>
    public string? Error { get; init; }
}
