using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.Cluster;

/// <summary>
/// The whole <see cref="IJobStore"/> contract (admin included) against a Redis Cluster of 3 masters and 3 replicas:
/// each queue's keys share one hash tag, so its scripts run on one node, and the test queues land on different masters.
/// </summary>
[Collection(RedisClusterFixture.CollectionName)]
public sealed class ClusterJobStoreContractTests(RedisClusterFixture cluster) : JobStoreContractTests
{
    protected override async Task<IJobStore> CreateStoreAsync()
        => await RedisJobStore.ConnectAsync(new RedisJobStoreOptions
        {
            ConnectionString = cluster.ConnectionString,
            KeyPrefix = RedisServerFixture.NewKeyPrefix(),
        });

    protected override async Task<IJobStore> WithMaxPayloadBytesAsync(int maxPayloadBytes)
        => await RedisJobStore.ConnectAsync(new RedisJobStoreOptions
        {
            ConnectionString = cluster.ConnectionString,
            KeyPrefix = ((RedisJobStore)Store).KeyPrefix,
            MaxPayloadBytes = maxPayloadBytes,
        });
}
