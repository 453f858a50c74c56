using StackExchange.Redis;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>What an enqueue failure says about the job, by what the client knows of the command.</summary>
public sealed class RedisStoreErrorsTests
{
    private static readonly JobId Id = JobId.New();

    [Theory]
    [InlineData(CommandStatus.Sent)]
    [InlineData(CommandStatus.Unknown)]
    public void Enqueue_whose_command_may_have_reached_redis_says_the_outcome_is_unknown(CommandStatus status)
    {
        var inner = new RedisConnectionException(ConnectionFailureType.SocketClosed, "socket closed", null, status);

        var ex = RedisStoreErrors.EnqueueFailed("mail", 1, "Send", Id, inner);

        Assert.DoesNotContain("Nothing was stored", ex.Message, StringComparison.Ordinal);
        Assert.Contains("may or may not have been stored", ex.Message, StringComparison.Ordinal);
        Assert.Contains("same id", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsConnectionFailure);
    }

    [Fact]
    public void Enqueue_whose_command_was_never_sent_says_nothing_was_stored()
    {
        var inner = new RedisConnectionException(ConnectionFailureType.UnableToConnect, "down", null, CommandStatus.WaitingToBeSent);

        var ex = RedisStoreErrors.EnqueueFailed("mail", 1, "Send", Id, inner);

        Assert.Contains("Nothing was stored", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsConnectionFailure);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Enqueue_before_the_first_connection_says_nothing_was_stored(bool connectThrew)
    {
        var inner = RedisStoreErrors.NotConnectedYet("redis:6379", connectThrew ? new InvalidOperationException("bad") : null);

        var ex = RedisStoreErrors.EnqueueFailed("mail", 2, "Send", Id, inner);

        Assert.Contains("Nothing was stored", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsConnectionFailure);
    }

    [Fact]
    public void Timeout_is_a_call_failure_whose_enqueue_outcome_is_unknown()
    {
        // StackExchange.Redis's timeout derives from TimeoutException, not RedisException.
        var inner = new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent);

        var ex = RedisStoreErrors.EnqueueFailed("mail", 1, "Send", Id, inner);

        Assert.True(RedisStoreErrors.IsCallFailure(inner));
        Assert.Contains("Redis did not answer in time", ex.Message, StringComparison.Ordinal);
        Assert.Contains("may or may not have been stored", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsConnectionFailure);
    }
}
