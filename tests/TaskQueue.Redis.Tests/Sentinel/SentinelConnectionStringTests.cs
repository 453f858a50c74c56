using Xunit;

namespace TaskQueue.Redis.Tests.Sentinel;

/// <summary>Sentinel settings in the connection string, checked before anything connects.</summary>
public sealed class SentinelConnectionStringTests
{
    [Fact]
    public void Empty_service_name_is_rejected_naming_the_setting()
    {
        var ex = Assert.Throws<ArgumentException>(() => RedisJobStore.Connect("127.0.0.1:26379,serviceName="));

        Assert.Contains("serviceName=", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_name_without_sentinels_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => RedisJobStore.Connect("serviceName=mymaster,keyPrefix=orders"));

        Assert.Contains("no sentinel", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_prefix_is_read_from_a_sentinel_connection_string()
    {
        using var store = RedisJobStore.Connect("127.0.0.1:1,127.0.0.1:2,serviceName=mymaster,password=pw,keyPrefix=orders");

        Assert.Equal("orders", store.KeyPrefix);
    }
}
