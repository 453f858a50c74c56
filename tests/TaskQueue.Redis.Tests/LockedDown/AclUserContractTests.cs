using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.LockedDown;

/// <summary>
/// The whole <see cref="IJobStore"/> contract with the store connected as a least-privilege ACL user (README, "Locking
/// Redis down"): a user per test, allowed its key prefix only, on a server whose default user has a password.
/// </summary>
public sealed class AclUserContractTests(AclRedisServer server) : JobStoreContractTests, IClassFixture<AclRedisServer>
{
    private string _prefix = string.Empty;

    protected override async Task<IJobStore> CreateStoreAsync()
    {
        _prefix = RedisServerFixture.NewKeyPrefix();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await RedisJobStore.ConnectAsync(await server.CreateUserAsync(_prefix), timeout.Token);
    }

    protected override async Task<IJobStore> WithMaxPayloadBytesAsync(int maxPayloadBytes)
    {
        // Another store on the same prefix and user, with a lower limit.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var options = new RedisJobStoreOptions { ConnectionString = await server.CreateUserAsync(_prefix), MaxPayloadBytes = maxPayloadBytes };
        return await RedisJobStore.ConnectAsync(options, timeout.Token);
    }

    [Fact]
    public async Task Nothing_was_denied_to_the_store_user()
    {
        await WorkerSmoke.RunAsync((RedisJobStore)Store);

        Assert.Empty(await server.DeniedAsync($"tq-{_prefix}"));
    }
}
