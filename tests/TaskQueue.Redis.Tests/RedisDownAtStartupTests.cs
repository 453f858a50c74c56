using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TaskQueue.Hosting;
using TaskQueue.Processing;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>An app started while nothing listens on the Redis port; then redis-server starts on that port.</summary>
public sealed class RedisDownAtStartupTests : IAsyncLifetime
{
    private const string Queue = "startup";

    /// <summary>
    /// Far below a blocking connect (5 to 10 s) and generous for a loaded 2-core CI machine: an enqueue made during the
    /// first connect attempt waits up to half a second for it.
    /// </summary>
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(3);

    /// <summary>StackExchange.Redis retries the connection every few seconds.</summary>
    private static readonly TimeSpan ReconnectTime = TimeSpan.FromSeconds(20);

    private readonly NotYetStartedRedisServerFixture _redis = new();
    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task Host_starts_at_once_while_redis_is_down_and_the_worker_starts_once_redis_is_up()
    {
        var logs = new CollectingLoggerProvider();
        var registry = new RecordingRegistry();
        using var host = BuildHost(logs, registry);

        var clock = Stopwatch.StartNew();
        await host.StartAsync();
        Assert.True(clock.Elapsed < AtOnce, $"the host took {clock.Elapsed} to start");

        var store = host.Services.GetRequiredService<IJobStore>();
        clock.Restart();
        var ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.EnqueueAsync(Job()).AsTask());
        Assert.True(clock.Elapsed < AtOnce, $"the enqueue took {clock.Elapsed} to fail");
        Assert.True(ex.IsConnectionFailure);
        Assert.Contains("Nothing was stored", ex.Message, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => Task.FromResult(logs.Count("is waiting for its job store (RedisJobStore)") == 1), "the worker logs that it waits for Redis");
        Assert.Equal(0, logs.Count("started on queues"));

        await _redis.StartAsync();

        await Eventually.TrueAsync(() => Task.FromResult(logs.Count("started on queues") == 1), "the worker starts once Redis is up", ReconnectTime);
        var job = Job();
        await store.EnqueueAsync(job);
        await Eventually.TrueAsync(() => Task.FromResult(registry.Ran.Contains(job.Id)), "the job enqueued after Redis came up runs");
        await host.StopAsync();

        Assert.Equal(1, logs.Count("is waiting for its job store"));
        Assert.Equal(1, logs.Count("the job store (RedisJobStore) connected after"));
        Assert.True(logs.IndexOf("connected after") < logs.IndexOf("started on queues"), string.Join(Environment.NewLine, logs.Messages));
    }

    [Fact]
    public async Task Worker_on_a_redis_that_is_up_starts_without_logging_a_wait()
    {
        await _redis.StartAsync();
        var logs = new CollectingLoggerProvider();
        using var host = BuildHost(logs, new RecordingRegistry());

        await host.StartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(logs.Count("started on queues") == 1), "the worker starts");
        await host.StopAsync();

        Assert.Equal(0, logs.Count("is waiting for its job store"));
    }

    [Fact]
    public async Task Enqueue_right_after_the_store_is_made_waits_for_a_redis_that_is_up()
    {
        await _redis.StartAsync();

        // No WaitUntilAvailableAsync: the first call waits for the first connect attempt.
        await using var store = RedisJobStore.Connect(new RedisJobStoreOptions { ConnectionString = _redis.ConnectionString, KeyPrefix = _prefix });
        var job = Job();
        Assert.True((await store.EnqueueAsync(job)).Created);

        Assert.Equal(job.Id, (await store.GetJobAsync(Queue, job.Id))!.Id);
    }

    [Fact]
    public async Task Store_made_while_redis_is_down_fails_fast_then_connects_and_loads_its_scripts()
    {
        var clock = Stopwatch.StartNew();
        await using var store = RedisJobStore.Connect(new RedisJobStoreOptions { ConnectionString = _redis.ConnectionString, KeyPrefix = _prefix });
        Assert.True(clock.Elapsed < AtOnce, $"Connect took {clock.Elapsed}");
        Assert.False(store.IsAvailable);

        var ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.GetQueueStatsAsync(Queue).AsTask());
        Assert.True(ex.IsConnectionFailure);
        Assert.Contains("read the counters of queue 'startup'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no connection to Redis", ex.Message, StringComparison.Ordinal);

        await _redis.StartAsync();
        using (var timeout = new CancellationTokenSource(ReconnectTime))
        {
            await store.WaitUntilAvailableAsync(timeout.Token);
        }

        await store.ScriptsLoaded;
        await using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var sha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(RedisScripts.Enqueue)));
        var exists = (RedisResult[])(await admin.GetDatabase().ExecuteAsync("SCRIPT", "EXISTS", sha))!;
        Assert.Equal(1, (long)exists[0]);
        Assert.True((await store.EnqueueAsync(Job())).Created);
    }

    [Fact]
    public async Task ConnectAsync_while_redis_is_down_waits_until_cancelled()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = _redis.ConnectionString }, timeout.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"ConnectAsync took {clock.Elapsed} to give up");
    }

    private IHost BuildHost(CollectingLoggerProvider logs, RecordingRegistry registry)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(logs);
        builder.Services.AddTaskQueue(o =>
        {
            o.UseRedis($"{_redis.ConnectionString},keyPrefix={_prefix}");
            o.Worker.Queues = [Queue];
            o.Worker.PollInterval = TimeSpan.FromMilliseconds(100);
        });
        builder.Services.AddSingleton<IJobRegistry>(registry);
        return builder.Build();
    }

    private static NewJob Job() => new() { Id = JobId.New(), Name = "Record", Queue = Queue, Priority = Priority.Normal, Payload = "{}"u8.ToArray(), MaxRetries = 0 };

    private sealed class RecordingRegistry : IJobRegistry
    {
        public ConcurrentBag<JobId> Ran { get; } = [];

        public IReadOnlyList<JobDefinition> Jobs { get; } =
            [new("Record", Queue, Priority.Normal, 0, null, new RetryPolicy(RetryStrategy.Fixed, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)), false)];

        public ValueTask<byte[]?> InvokeAsync(string name, ReadOnlyMemory<byte> payload, JobContext context)
        {
            Ran.Add(context.Id);
            return ValueTask.FromResult<byte[]?>(null);
        }
    }
}
