using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TaskQueue.Processing;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>
/// A Redis that refuses writes (<c>maxmemory</c> reached with <c>noeviction</c>): enqueue fails with Redis's own error,
/// the worker logs the refused completion and retries it with backoff, and nothing is lost or run twice once Redis
/// takes writes again. A redis-server of this class alone, since the test changes its memory limit.
/// </summary>
public sealed class WriteRefusalTests : IAsyncLifetime
{
    private const string Queue = "full";

    private RedisServerProcess _redis = null!;
    private ConnectionMultiplexer _admin = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServerProcess.StartAsync(["--maxmemory-policy", "noeviction"]);
        _admin = await ConnectionMultiplexer.ConnectAsync($"{_redis.EndPoint},allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        await _admin.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Full_redis_refuses_enqueue_with_its_error_and_the_worker_retries_its_completion_until_redis_takes_writes()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var store = await RedisJobStore.ConnectAsync($"{_redis.EndPoint},keyPrefix={RedisServerFixture.NewKeyPrefix()}", timeout.Token);
        var before = TestJobs.New(queue: Queue);
        await store.EnqueueAsync(before);

        // Any write that needs memory is now refused (used memory is far above one byte).
        await SetMaxMemoryAsync("1");
        var ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.EnqueueAsync(TestJobs.New(queue: Queue)).AsTask());
        Assert.Contains("OOM", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Redis rejected the command", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsConnectionFailure);

        // The worker fetches the job stored before (fetch only frees memory before it writes), runs it, and cannot
        // record the success: it says so and retries, rather than dropping the outcome.
        var runs = new ConcurrentQueue<JobId>();
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var services = new ServiceCollection().BuildServiceProvider();
        var worker = new Worker(
            store,
            new JobDispatcher([new Registry(runs)]),
            services,
            new WorkerOptions { Queues = [Queue], PollInterval = TimeSpan.FromMilliseconds(200), HeartbeatInterval = TimeSpan.FromSeconds(1), LeaseDuration = TimeSpan.FromSeconds(30) },
            TimeProvider.System,
            loggerFactory.CreateLogger<Worker>());
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(logs.Count("Store call CompleteAsync failed") > 0), "the refused completion to be logged");
            Assert.Contains(before.Id, runs);
            Assert.Equal(JobState.Active, (await store.GetJobAsync(Queue, before.Id))!.State);

            await SetMaxMemoryAsync("0");
            var after = TestJobs.New(queue: Queue);
            await store.EnqueueAsync(after);

            await Eventually.TrueAsync(
                async () => (await store.GetJobAsync(Queue, before.Id))?.State == JobState.Succeeded && (await store.GetJobAsync(Queue, after.Id))?.State == JobState.Succeeded,
                "both jobs to succeed once Redis takes writes again");
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // Each job ran once: the retried completion recorded the first run instead of the job running again.
        Assert.Equal(1, runs.Count(id => id == before.Id));
        Assert.Equal(1, (await store.GetJobAsync(Queue, before.Id))!.Attempt);
    }

    private Task SetMaxMemoryAsync(string bytes) => _admin.GetServer(_admin.GetEndPoints()[0]).ConfigSetAsync("maxmemory", bytes);

    private sealed class Registry(ConcurrentQueue<JobId> runs) : IJobRegistry
    {
        public IReadOnlyList<JobDefinition> Jobs { get; } =
            [new("test-job", Queue, Priority.Normal, 3, null, RetryPolicy.Default, false)];

        public ValueTask<byte[]?> InvokeAsync(string name, ReadOnlyMemory<byte> payload, JobContext context)
        {
            runs.Enqueue(context.Id);
            return ValueTask.FromResult<byte[]?>(null);
        }
    }
}
