using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.Sentinel;

/// <summary>
/// One Sentinel deployment (master, replica, three sentinels) shared by a test class that never fails it over; its
/// data nodes require a password, which the connection string carries for them (the sentinels have none).
/// </summary>
public sealed class SentinelTopologyFixture : IAsyncLifetime
{
    public const string Password = "sentinel-data-pw";

    public RedisSentinelTopology Topology { get; private set; } = null!;

    /// <summary>The sentinels, the service name, the data nodes' password and a key prefix of its own.</summary>
    public string ConnectionString(string keyPrefix) => $"{Topology.ConnectionString},keyPrefix={keyPrefix}";

    public async Task InitializeAsync() => Topology = await RedisSentinelTopology.StartAsync(replicas: 1, Password);

    public async Task DisposeAsync() => await Topology.DisposeAsync();
}
