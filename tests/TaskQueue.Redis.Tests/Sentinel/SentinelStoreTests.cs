using System.Diagnostics;
using System.Globalization;
using TaskQueue.Redis.Tests.LockedDown;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.Sentinel;

/// <summary>A store whose connection string lists sentinels and a service name, with no failover.</summary>
public sealed class SentinelStoreTests(SentinelTopologyFixture sentinel) : IClassFixture<SentinelTopologyFixture>
{
    /// <summary>Far below a blocking connect and generous for a loaded 2-core CI machine.</summary>
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Store_through_the_sentinels_with_the_data_nodes_password_runs_the_worker_smoke()
    {
        var prefix = RedisServerFixture.NewKeyPrefix();
        await using var store = await ConnectAsync(sentinel.ConnectionString(prefix));

        Assert.Equal(prefix, store.KeyPrefix);
        await WorkerSmoke.RunAsync(store);
    }

    [Fact]
    public async Task Status_lists_the_master_as_primary_and_its_replica()
    {
        await using var store = await ConnectAsync(sentinel.ConnectionString(RedisServerFixture.NewKeyPrefix()));

        var status = await store.GetStatusAsync();

        var master = await sentinel.Topology.MasterAsync();
        Assert.True(status.Available, status.Error);
        Assert.Contains(status.Servers, s => s.Endpoint == master.EndPoint && s.Role == "primary" && s.Connected);
        Assert.Contains(status.Servers, s => s.Endpoint != master.EndPoint && s.Role == "replica" && s.Connected);
    }

    [Fact]
    public async Task Without_an_answering_sentinel_calls_fail_at_once_and_the_store_keeps_trying()
    {
        // Ports nothing listens on: the store cannot learn the master.
        var nobody = string.Join(',', Enumerable.Range(0, 3).Select(_ => $"127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}"));
        await using var store = RedisJobStore.Connect($"{nobody},serviceName={RedisSentinelTopology.ServiceName},keyPrefix={RedisServerFixture.NewKeyPrefix()}");

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.EnqueueAsync(TestJobs.New()).AsTask());

        Assert.True(clock.Elapsed < AtOnce, $"the enqueue took {clock.Elapsed} to fail");
        Assert.True(ex.IsConnectionFailure);
        Assert.Contains("Nothing was stored", ex.Message, StringComparison.Ordinal);
        Assert.Contains("sentinels", ex.Message, StringComparison.Ordinal);

        // Still trying, not given up: the wait ends by the caller's token, not with "could not set up the connection".
        using var shortWait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WaitUntilAvailableAsync(shortWait.Token).AsTask());
    }

    private static async Task<RedisJobStore> ConnectAsync(string connectionString)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await RedisJobStore.ConnectAsync(connectionString, timeout.Token);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
