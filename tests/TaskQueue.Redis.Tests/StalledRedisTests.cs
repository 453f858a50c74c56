using TaskQueue.Admin;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>
/// A redis-server that stops answering (SIGSTOP: a stalled host) for longer than the client's <c>asyncTimeout</c>:
/// every store call fails as a <see cref="RedisJobStoreException"/> that says what it means, never as StackExchange.Redis's
/// own <c>RedisTimeoutException</c> (a <see cref="TimeoutException"/>, which callers catching the store's exception miss).
/// </summary>
public sealed class StalledRedisTests : IAsyncLifetime
{
    private RedisServerProcess _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServerProcess.StartAsync([]);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Enqueue_to_a_stalled_redis_times_out_as_a_store_exception_saying_the_outcome_is_unknown()
    {
        await using var store = await ConnectAsync();
        var job = TestJobs.New();

        _redis.Suspend();
        RedisJobStoreException ex;
        try
        {
            ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.EnqueueAsync(job).AsTask());
        }
        finally
        {
            _redis.Resume();
        }

        Assert.Contains($"could not enqueue job '{job.Name}' (id {job.Id}) into queue '{job.Queue}': Redis did not answer in time", ex.Message, StringComparison.Ordinal);
        Assert.Contains("may or may not have been stored", ex.Message, StringComparison.Ordinal);

        // The script did run once Redis resumed: re-sending the same job, as the message says, stores it once.
        var again = await store.EnqueueAsync(job);
        Assert.False(again.Created);
        Assert.Equal(1, (await store.GetQueueStatsAsync(job.Queue)).Pending);
    }

    [Fact]
    public async Task Admin_read_from_a_stalled_redis_times_out_as_a_store_exception()
    {
        await using var store = await ConnectAsync();

        _redis.Suspend();
        RedisJobStoreException ex;
        try
        {
            ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.ListJobsAsync(TestJobs.Queue, JobListState.Pending, 0, 10).AsTask());
        }
        finally
        {
            _redis.Resume();
        }

        Assert.Contains("Redis did not answer in time", ex.Message, StringComparison.Ordinal);
    }

    private async Task<RedisJobStore> ConnectAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await RedisJobStore.ConnectAsync(
            new RedisJobStoreOptions { ConnectionString = $"{_redis.EndPoint},asyncTimeout=300", KeyPrefix = RedisServerFixture.NewKeyPrefix() },
            timeout.Token);
    }
}
