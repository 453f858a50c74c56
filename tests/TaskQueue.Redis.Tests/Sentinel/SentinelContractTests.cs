using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.Sentinel;

/// <summary>The whole <see cref="IJobStore"/> contract with the store connected through Redis Sentinel.</summary>
public sealed class SentinelContractTests(SentinelTopologyFixture sentinel) : JobStoreContractTests, IClassFixture<SentinelTopologyFixture>
{
    private string _prefix = string.Empty;

    protected override async Task<IJobStore> CreateStoreAsync()
    {
        _prefix = RedisServerFixture.NewKeyPrefix();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await RedisJobStore.ConnectAsync(sentinel.ConnectionString(_prefix), timeout.Token);
    }

    protected override async Task<IJobStore> WithMaxPayloadBytesAsync(int maxPayloadBytes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = sentinel.ConnectionString(_prefix), MaxPayloadBytes = maxPayloadBytes }, timeout.Token);
    }
}
