using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.TestSupport;
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

    [Fact]
    public void Replies_are_processed_on_the_thread_pool_unless_dedicated_io_threads_are_asked_for()
    {
        var (byDefault, _) = new RedisJobStoreOptions { ConnectionString = "localhost" }.Resolve();
        var (dedicated, _) = new RedisJobStoreOptions { ConnectionString = "localhost", DedicatedIoThreads = true }.Resolve();

        Assert.Same(StackExchange.Redis.SocketManager.ThreadPool, byDefault.SocketManager);
        Assert.Null(dedicated.SocketManager);
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await store.WaitUntilAvailableAsync(timeout.Token); // The factory connects in the background.
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

    [Fact]
    public async Task Acl_user_limited_to_the_key_prefix_can_run_every_store_operation()
    {
        var prefix = RedisServerFixture.NewKeyPrefix();
        var user = "tq-" + prefix;
        await server.ExecuteAsync("ACL", "SETUSER", user, "on", ">pw-" + prefix, "~{" + prefix + "*", "&" + prefix + ":*", "+@all");
        try
        {
            await using var store = await RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = $"{server.ConnectionString},user={user},password=pw-{prefix}", KeyPrefix = prefix });
            var job = new Storage.NewJob { Id = JobId.New(), Name = "Ping", Queue = "default", Priority = Priority.Normal, Payload = "{}"u8.ToArray(), MaxRetries = 0, IdempotencyKey = "k" };

            await store.EnqueueAsync(job);
            await store.WaitForWorkAsync(["default"], TimeSpan.FromMilliseconds(10));
            var leased = Assert.Single(await store.FetchAsync(new Storage.FetchRequest("default", 1, TimeSpan.FromSeconds(30), "w")));
            await store.ExtendLeasesAsync([leased.Lease], TimeSpan.FromSeconds(30));
            await store.CompleteAsync([new Storage.JobCompletion { Lease = leased.Lease, Kind = Storage.CompletionKind.DeadLetter, Error = "e" }]);
            await store.RecoverExpiredLeasesAsync("default");
            Assert.True(await store.RequeueDeadLetterAsync("default", job.Id));
            Assert.True(await store.CancelAsync("default", job.Id));
            await store.GetQueueStatsAsync("default");
            await store.ListQueueNamesAsync();
            await store.HeartbeatWorkerAsync(new Storage.WorkerInfo { Id = "w", Host = "h", ProcessId = 1, Queues = ["default"], Concurrency = 1, StartedAt = DateTimeOffset.UtcNow }, TimeSpan.FromMinutes(1));
            Assert.Single(await store.ListWorkersAsync());
            await using var subscription = await store.SubscribeToCancellationsAsync(_ => { });
        }
        finally
        {
            await server.ExecuteAsync("ACL", "DELUSER", user);
        }
    }

    [Fact]
    public async Task Acl_user_without_access_to_the_prefix_gets_a_clear_exception_naming_the_operation()
    {
        var prefix = RedisServerFixture.NewKeyPrefix();
        var user = "tq-" + prefix;
        await server.ExecuteAsync("ACL", "SETUSER", user, "on", ">pw", "~someone-else*", "&*", "+@all");
        try
        {
            await using var store = await RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = $"{server.ConnectionString},user={user},password=pw", KeyPrefix = prefix });

            var ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.GetQueueStatsAsync("default").AsTask());

            Assert.Contains("read the counters of queue 'default'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("Redis rejected the command", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            await server.ExecuteAsync("ACL", "DELUSER", user);
        }
    }
}
