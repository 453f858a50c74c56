using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>The shared <see cref="IJobStore"/> contract against <see cref="RedisJobStore"/> on a real redis-server.</summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class RedisJobStoreContractTests(RedisServerFixture server) : JobStoreContractTests
{
    protected override async Task<IJobStore> CreateStoreAsync()
        => await RedisJobStore.ConnectAsync(new RedisJobStoreOptions
        {
            ConnectionString = server.ConnectionString,
            KeyPrefix = RedisServerFixture.NewKeyPrefix(),
        });

    protected override async Task<IJobStore> WithMaxPayloadBytesAsync(int maxPayloadBytes)
        => await RedisJobStore.ConnectAsync(new RedisJobStoreOptions
        {
            ConnectionString = server.ConnectionString,
            KeyPrefix = ((RedisJobStore)Store).KeyPrefix,
            MaxPayloadBytes = maxPayloadBytes,
        });
}
