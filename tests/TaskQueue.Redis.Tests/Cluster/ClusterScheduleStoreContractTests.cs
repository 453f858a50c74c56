using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.Cluster;

/// <summary>The schedule contract (exactly-once occurrences across racing schedulers) against a Redis Cluster.</summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class ClusterScheduleStoreContractTests(RedisClusterFixture cluster) : ScheduleStoreContractTests
{
    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();

    protected override Task<IJobStore> CreateStoreAsync(ManualClock clock) => OpenSiblingAsync(clock);

    protected override async Task<IJobStore> OpenSiblingAsync(ManualClock clock)
    {
        var store = await RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = cluster.ConnectionString, KeyPrefix = _prefix });
        store.ScheduleClockOverride = clock.GetUtcNow;
        return store;
    }
}
