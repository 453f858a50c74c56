using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TaskQueue.Client;
using TaskQueue.Processing;
using TaskQueue.Storage;
using TaskQueue.Telemetry;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>The real worker (fetch loop, executor, completion batching, cancellation) end to end on the Redis store.</summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class WorkerOnRedisTests(RedisServerFixture server) : RedisStoreTestBase(server)
{
    private readonly TestRegistry _registry = new();

    [Fact]
    public async Task Worker_runs_every_bulk_enqueued_job_exactly_once()
    {
        var jobs = Enumerable.Range(0, 100).Select(i => Job(name: "Ok", payload: i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        await Store.EnqueueManyAsync(jobs);

        await RunWorkerUntilAsync(async () => (await Store.GetQueueStatsAsync(Queue)).ProcessedToday == 100);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), _registry.Ran.Order());
        var stats = await Store.GetQueueStatsAsync(Queue);
        Assert.Equal((0, 0, 0), (stats.Pending, stats.Active, stats.Dead));
    }

    [Fact]
    public async Task Failing_job_is_retried_then_dead_lettered_with_its_error()
    {
        var job = Job(name: "Fail", maxRetries: 1);
        await Store.EnqueueAsync(job);

        await RunWorkerUntilAsync(async () => (await Store.GetQueueStatsAsync(Queue)).Dead == 1);

        var dead = await Store.GetJobAsync(Queue, job.Id);
        Assert.Equal(JobState.Dead, dead!.State);
        Assert.Equal(2, dead.Attempt);
        Assert.Contains("always fails", dead.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_running_job_fires_its_handler_token()
    {
        var job = Job(name: "Block");
        await Store.EnqueueAsync(job);

        await RunWorkerUntilAsync(async () =>
        {
            if (_registry.Started.Contains(job.Id) && (await Store.GetJobAsync(Queue, job.Id))!.State == JobState.Active)
            {
                await Store.CancelAsync(Queue, job.Id);
            }

            return _registry.Cancelled.Contains(job.Id);
        });

        Assert.Equal(JobState.Cancelled, (await Store.GetJobAsync(Queue, job.Id))!.State);
    }

    [Fact]
    public async Task Blocking_job_past_its_timeout_keeps_its_lease_and_never_overlaps_its_retry()
    {
        var job = Job(name: "Stubborn", maxRetries: 3);
        await Store.EnqueueAsync(job);

        await RunWorkerUntilAsync(async () => (await Store.GetJobAsync(Queue, job.Id))!.State == JobState.Succeeded);

        // Attempt 1 overran its 200 ms timeout by a second; each attempt started only after the one before returned.
        // (A later attempt may time out too on a loaded machine: what matters is that none overlaps another.)
        var events = _registry.StubbornEvents.ToList();
        var attempts = events.Count / 2;
        Assert.Equal(Enumerable.Range(1, attempts).SelectMany(a => new[] { $"start {a}", $"end {a}" }), events);
        Assert.True(attempts >= 2, string.Join(", ", events));
        var info = await Store.GetJobAsync(Queue, job.Id);
        Assert.Equal(attempts, info!.Attempt);
        Assert.Contains("TimeoutException", info.LastError ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attempt_span_is_a_child_of_the_enqueue_span_after_the_job_went_through_redis()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TaskQueueTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var client = new JobClient(Store);
        var id = await client.EnqueueAsync(_registry.Jobs[0], Encoding.UTF8.GetBytes("traced"));

        await RunWorkerUntilAsync(() => Task.FromResult(stopped.Any(a => a.Kind == ActivityKind.Consumer && Equals(a.GetTagItem("messaging.message.id"), id.Value))));

        var spans = stopped.Where(a => Equals(a.GetTagItem("messaging.message.id"), id.Value)).ToList();
        var send = Assert.Single(spans, a => a.Kind == ActivityKind.Producer);
        var process = Assert.Single(spans, a => a.Kind == ActivityKind.Consumer);
        Assert.Equal(send.TraceId, process.TraceId);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal("succeeded", process.GetTagItem("taskqueue.job.outcome"));
    }

    private async Task RunWorkerUntilAsync(Func<Task<bool>> condition)
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var worker = new Worker(
            Store,
            new JobDispatcher([_registry]),
            services,
            new WorkerOptions { Queues = [Queue], Concurrency = 8, PollInterval = TimeSpan.FromMilliseconds(200), HeartbeatInterval = TimeSpan.FromSeconds(1), LeaseDuration = TimeSpan.FromSeconds(10) },
            TimeProvider.System,
            NullLogger<Worker>.Instance);
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        try
        {
            Assert.True(await EventuallyAsync(condition, TimeSpan.FromSeconds(20)));
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }
    }

    private sealed class TestRegistry : IJobRegistry
    {
        private static readonly RetryPolicy s_fast = new(RetryStrategy.Fixed, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10));

        public ConcurrentBag<string> Ran { get; } = [];

        public ConcurrentBag<JobId> Started { get; } = [];

        public ConcurrentBag<JobId> Cancelled { get; } = [];

        public IReadOnlyList<JobDefinition> Jobs { get; } =
        [
            new("Ok", Queue, Priority.Normal, 3, null, s_fast, false),
            new("Fail", Queue, Priority.Normal, 1, null, s_fast, false),
            new("Block", Queue, Priority.Normal, 0, null, s_fast, false),
            new("Stubborn", Queue, Priority.Normal, 3, TimeSpan.FromMilliseconds(200), s_fast, false),
        ];

        public ConcurrentQueue<string> StubbornEvents { get; } = new();

        public async ValueTask<byte[]?> InvokeAsync(string name, ReadOnlyMemory<byte> payload, JobContext context)
        {
            switch (name)
            {
                case "Ok":
                    Ran.Add(Encoding.UTF8.GetString(payload.Span));
                    return null;
                case "Fail":
                    throw new InvalidOperationException("always fails");
                case "Block":
                    Started.Add(context.Id);
                    try
                    {
                        await Task.Delay(Timeout.Infinite, context.CancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        Cancelled.Add(context.Id);
                        throw;
                    }

                    return null;
                case "Stubborn":
                    // Synchronous and deaf to its token, like a blocking `void` job.
                    StubbornEvents.Enqueue($"start {context.Attempt}");
                    if (context.Attempt == 1)
                    {
                        Thread.Sleep(1200);
                    }

                    StubbornEvents.Enqueue($"end {context.Attempt}");
                    return null;
                default:
                    throw new UnknownJobException(name);
            }
        }
    }
}
