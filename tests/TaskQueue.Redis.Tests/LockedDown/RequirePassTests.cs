using System.Diagnostics;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.LockedDown;

/// <summary>A redis-server started with <c>--requirepass</c>, of this class alone.</summary>
public sealed class RequirePassTests : IAsyncLifetime
{
    private const string Password = "s3cret-Pa55";

    /// <summary>Far below a blocking connect and generous for a loaded 2-core CI machine.</summary>
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(3);

    private RedisServerProcess _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServerProcess.StartAsync(["--requirepass", Password]);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Store_with_the_password_runs_the_worker_smoke()
    {
        await using var store = await ConnectAsync($"{_redis.EndPoint},password={Password}");

        await WorkerSmoke.RunAsync(store);
    }

    [Fact]
    public async Task Store_with_a_wrong_password_fails_calls_at_once_with_an_authentication_error()
    {
        await using var store = RedisJobStore.Connect($"{_redis.EndPoint},password=wrong,keyPrefix={RedisServerFixture.NewKeyPrefix()}");

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.EnqueueAsync(TestJobs.New()).AsTask());

        Assert.True(clock.Elapsed < AtOnce, $"the enqueue took {clock.Elapsed} to fail");
        Assert.True(ex.IsConnectionFailure);
        Assert.Contains("Nothing was stored", ex.Message, StringComparison.Ordinal);

        // Once the first connect attempt has ended (it may outlast the half-second a call waits for it on a loaded
        // machine), each failing call carries the reason.
        await Eventually.TrueAsync(
            async () => (await Assert.ThrowsAsync<RedisJobStoreException>(() => store.EnqueueAsync(TestJobs.New()).AsTask())).Message.Contains("Verify if the Redis password provided is correct", StringComparison.Ordinal),
            "a failing call names the reason");
        Assert.False(store.IsAvailable);
    }

    private static async Task<RedisJobStore> ConnectAsync(string connectionString)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = connectionString, KeyPrefix = RedisServerFixture.NewKeyPrefix() }, timeout.Token);
    }
}
