using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.Cluster;

/// <summary>A Redis Cluster of 3 masters and 3 replicas on loopback, shared by the <c>redis-cluster</c> collection.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    /// <summary>The collection of the tests that share the cluster.</summary>
    public const string CollectionName = "redis-cluster";

    private RedisCluster? _cluster;

    /// <summary>The running cluster.</summary>
    public RedisCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster fixture is not initialized.");

    /// <summary>Every node's endpoint.</summary>
    public string ConnectionString => Cluster.ConnectionString;

    /// <inheritdoc/>
    public async Task InitializeAsync() => _cluster = await RedisCluster.StartAsync();

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>The tests sharing one <see cref="RedisClusterFixture"/>.</summary>
[CollectionDefinition(RedisClusterFixture.CollectionName)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>;
