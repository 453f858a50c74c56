using StackExchange.Redis;

namespace TaskQueue.Redis;

/// <summary>Builds every exception the Redis store throws, so messages stay consistent.</summary>
internal static class RedisStoreErrors
{
    /// <summary>
    /// Whether <paramref name="exception"/>, thrown by a StackExchange.Redis call, means the call failed. Besides its own
    /// exceptions (note that its <see cref="RedisTimeoutException"/> is a <see cref="TimeoutException"/>, not a
    /// <see cref="RedisException"/>), a command written just as the connection dropped can fail with a socket error or a
    /// cancellation of its own (the store passes no token to Redis calls): those are failures too, whose outcome is unknown.
    /// </summary>
    public static bool IsCallFailure(Exception exception)
        => exception is RedisException or RedisTimeoutException or IOException or OperationCanceledException or System.Net.Sockets.SocketException;

    /// <summary>A store call failed; <paramref name="operation"/> names what and where, e.g. <c>fetch from queue 'mail'</c>.</summary>
    public static RedisJobStoreException CallFailed(string operation, Exception inner)
        => new($"Redis job store: could not {operation}: {Describe(inner)}", inner);

    /// <summary>An enqueue failed; says whether the jobs may have been stored.</summary>
    public static RedisJobStoreException EnqueueFailed(string queue, int count, string? firstJobName, JobId firstId, Exception inner)
    {
        var what = count == 1
            ? $"job '{firstJobName}' (id {firstId}) into queue '{queue}'"
            : $"{count} jobs (first: '{firstJobName}', id {firstId}) into queue '{queue}'";
        var consequence = NeverSent(inner)
            ? "Nothing was stored."
            : "The jobs may or may not have been stored; enqueueing the same NewJob again (same id) is safe: a stored id is not stored twice.";
        return new($"Redis job store: could not enqueue {what}: {Describe(inner)} {consequence}", inner);
    }

    /// <summary>
    /// The enqueue script stored the jobs on the primary, but the replicas did not confirm them (durability mode):
    /// a failover now could lose them, so the call fails, and says retrying is safe.
    /// </summary>
    public static RedisJobStoreException NotReplicated(string queue, int count, string? firstJobName, JobId firstId, string why, Exception? inner)
    {
        var what = count == 1
            ? $"job '{firstJobName}' (id {firstId}) was stored in queue '{queue}'"
            : $"{count} jobs (first: '{firstJobName}', id {firstId}) were stored in queue '{queue}'";
        return new(
            $"Redis job store: {what} on the primary, but not confirmed by its replicas ({why}); a failover now could lose it. "
            + "Enqueueing the same NewJob again (same id) is safe: a stored id is not stored twice, and the retry waits for the replicas again.",
            inner);
    }

    /// <summary>
    /// Why a call made before the store's first connection fails: a connection error, exactly like a lost connection,
    /// whose command was never sent (so an enqueue says nothing was stored). <paramref name="connectFailure"/> is set
    /// when connecting threw.
    /// </summary>
    public static RedisConnectionException NotConnectedYet(string endpoints, Exception? connectFailure) => connectFailure is null
        ? new(ConnectionFailureType.UnableToConnect, $"not connected to {endpoints} yet; still connecting in the background", null, CommandStatus.WaitingToBeSent)
        : new(ConnectionFailureType.UnableToConnect, $"could not set up the connection to {endpoints}: {connectFailure.Message}", connectFailure, CommandStatus.WaitingToBeSent);

    /// <summary>
    /// Whether the failed command certainly never reached Redis: only a connection error raised before it was written.
    /// A command sent (or of unknown status) when the connection dropped may have run.
    /// </summary>
    private static bool NeverSent(Exception inner)
        => inner is RedisConnectionException { CommandStatus: CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog };

    /// <summary>
    /// An ACL denial: <c>NOPERM</c> for a command the client sent; from inside a script Redis 7.0 says
    /// "The user executing the script can't run this command..." (or "...can't access at least one of the keys...").
    /// </summary>
    private static bool IsPermissionDenied(string message)
        => message.Contains("NOPERM", StringComparison.Ordinal) || message.Contains("The user executing the script can't", StringComparison.Ordinal);

    private static string Describe(Exception inner) => inner switch
    {
        RedisConnectionException => $"no connection to Redis ({inner.Message}).",
        RedisTimeoutException => $"Redis did not answer in time ({inner.Message}).",
        RedisServerException when IsPermissionDenied(inner.Message)
            => $"Redis rejected the command ({inner.Message}). The Redis user lacks a permission: the server's ACL LOG names the denied command, key or channel; "
               + "the TaskQueue.Redis README (\"Locking Redis down\") lists what the store needs.",
        RedisServerException => $"Redis rejected the command ({inner.Message}).",
        _ => inner.Message,
    };
}
