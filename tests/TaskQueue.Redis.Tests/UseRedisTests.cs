using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Hosting;
using TaskQueue.Testing;
using Xunit;

namespace TaskQueue.Redis.Tests;

[Collection(RedisServerFixture.CollectionName)]
public sealed class UseRedisTests(RedisServerFixture server)
{
    [Fact]
    public void Connection_string_carries_password_user_tls_database_and_key_prefix()
    {
        var options = new RedisJobStoreOptions { ConnectionString = "redis.example:6380,user=jobs,password=s3cret,ssl=true,sslHost=redis.example,defaultDatabase=3,keyPrefix=orders" };

        var (configuration, prefix) = options.Resolve();

        Assert.Equal("orders", prefix);
        Assert.Equal("jobs", configuration.User);
        Assert.Equal("s3cret", configuration.Password);
        Assert.True(configuration.Ssl);
        Assert.Equal("redis.example", configuration.SslHost);
        Assert.Equal(3, configuration.DefaultDatabase);
        Assert.Equal(("redis.example", 6380), Assert.IsType<System.Net.DnsEndPoint>(Assert.Single(configuration.EndPoints)) is var e ? (e.Host, e.Port) : default);
        Assert.False(configuration.AbortOnConnectFail);
    }

    [Theory]
    [InlineData("", "ConnectionString")]
    [InlineData("localhost,keyPrefix={bad}", "KeyPrefix '{bad}'")]
    [InlineData("localhost,nosuchoption=1", "not a valid Redis connection string")]
    public void Invalid_settings_are_rejected_when_configured_naming_the_setting(string connectionString, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => new TaskQueueOptions().UseRedis(o => o.ConnectionString = connectionString));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseRedis_with_a_connection_string_makes_a_working_store_with_the_key_prefix()
    {
        var prefix = RedisServerFixture.NewKeyPrefix();
        var options = new TaskQueueOptions().UseRedis($"{server.ConnectionString},keyPrefix={prefix}");

        await using var store = (RedisJobStore)options.StoreFactory!(new ServiceCollection().BuildServiceProvider());

        Assert.Equal(prefix, store.KeyPrefix);
        await store.EnqueueAsync(new Storage.NewJob { Id = JobId.New(), Name = "Ping", Queue = "default", Priority = Priority.Normal, Payload = "{}"u8.ToArray(), MaxRetries = 0 });
        Assert.True(await server.Admin.GetDatabase().KeyExistsAsync($"{{{prefix}:default}}:ready:normal"));
    }

    [Fact]
    public void UseRedis_binds_a_configuration_section_object_or_plain_string()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TaskQueue:Redis:ConnectionString"] = server.ConnectionString,
            ["TaskQueue:Redis:KeyPrefix"] = "from-config",
            ["TaskQueue:Redis:ResultRetention"] = "02:00:00",
            ["Plain:Redis"] = server.ConnectionString + ",keyPrefix=plain",
        }).Build();

        using var bound = (RedisJobStore)new TaskQueueOptions().UseRedis(configuration.GetSection("TaskQueue:Redis")).StoreFactory!(null!);
        using var plain = (RedisJobStore)new TaskQueueOptions().UseRedis(configuration.GetSection("Plain:Redis")).StoreFactory!(null!);

        Assert.Equal("from-config", bound.KeyPrefix);
        Assert.Equal("plain", plain.KeyPrefix);
    }
}
