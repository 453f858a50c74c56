namespace TaskQueue.Processing;

/// <summary>Why an attempt failed; <see cref="RetryDecider"/> turns each into a retry, a deferral or a dead letter.</summary>
public enum FailureKind
{
    /// <summary>The handler threw.</summary>
    Exception = 0,

    /// <summary>The attempt ran past its timeout.</summary>
    Timeout = 1,

    /// <summary>The attempt's lease expired: its worker crashed, was killed or stalled.</summary>
    LeaseExpired = 2,

    /// <summary>The stored arguments do not fit the job's parameters: retrying cannot help.</summary>
    InvalidPayload = 3,

    /// <summary>This worker has no handler for the job's name: not the job's fault, another worker may know it.</summary>
    UnknownJob = 4,
}
