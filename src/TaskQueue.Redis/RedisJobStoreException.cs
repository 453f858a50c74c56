namespace TaskQueue.Redis;

/// <summary>
/// A Redis store call failed: the server was unreachable, timed out or rejected the command. The message says
/// what was being done (queue, job) and what that means for the data (e.g. whether an enqueued job was stored).
/// The inner exception is the StackExchange.Redis error. Callers may retry; the worker backs off and resumes.
/// </summary>
public sealed class RedisJobStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedisJobStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>True when the failure was a lost or missing connection (rather than a timeout or a server error).</summary>
    public bool IsConnectionFailure => InnerException is StackExchange.Redis.RedisConnectionException;
}
