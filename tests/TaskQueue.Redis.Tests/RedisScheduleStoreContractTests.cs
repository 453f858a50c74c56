using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>
/// The schedule contract against <see cref="RedisJobStore"/> on a real redis-server. Each sibling is a separate
/// connection (another process's view); the schedule scripts read the test clock through the store's test seam.
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class RedisScheduleStoreContractTests(RedisServerFixture server) : ScheduleStoreContractTests
{
    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();

    protected override Task<IJobStore> CreateStoreAsync(ManualClock clock) => OpenSiblingAsync(clock);

    protected override async Task<IJobStore> OpenSiblingAsync(ManualClock clock)
    {
        var store = await RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = server.ConnectionString, KeyPrefix = _prefix });
        store.ScheduleClockOverride = clock.GetUtcNow;
        return store;
    }
}
