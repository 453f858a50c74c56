using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TaskQueue.Admin;
using TaskQueue.Client;
using TaskQueue.Hosting;
using TaskQueue.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests;

/// <summary>
/// <c>AddTaskQueueInstrumentation()</c> with the OpenTelemetry SDK's in-memory exporters, and the gauges that
/// <c>AddTaskQueue</c> adds (queue depth by state read from the store, running jobs), on both stores.
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class OpenTelemetryTests(RedisServerFixture redis, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task One_job_is_one_trace_from_enqueue_to_attempt_and_the_meters_are_exported()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddTaskQueue(o =>
        {
            o.Worker.Queues = ["telemetry"];
            o.Worker.PollInterval = TimeSpan.FromMilliseconds(50);
        });
        builder.Services.AddTaskQueueIntegrationTestsJobs();
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddTaskQueueInstrumentation().AddInMemoryExporter(spans))
            .WithMetrics(meters => meters.AddTaskQueueInstrumentation().AddInMemoryExporter(metrics));
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IJobClient>();

        var id = await Jobs.Touch.EnqueueAsync(client, 7);
        await WaitForAsync(async () => (await host.Services.GetRequiredService<IJobAdmin>().GetJobAsync("telemetry", id))?.State == JobState.Succeeded);
        await WaitForAsync(() => Task.FromResult(spans.Any(s => s.DisplayName == "process telemetry")));
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        await host.StopAsync();

        // The exported span list the README shows.
        foreach (var span in spans.OrderBy(s => s.StartTimeUtc))
        {
            output.WriteLine($"{span.DisplayName,-18} {span.Kind,-8} trace {span.TraceId} span {span.SpanId} parent {(span.ParentSpanId == default ? "-" : span.ParentSpanId.ToString())}  "
                + string.Join(' ', span.TagObjects.Where(t => t.Key.StartsWith("messaging.", StringComparison.Ordinal) || t.Key.StartsWith("taskqueue.", StringComparison.Ordinal)).Select(t => $"{t.Key}={t.Value}")));
        }

        var send = Assert.Single(spans, s => s.DisplayName == "send telemetry");
        var process = Assert.Single(spans, s => s.DisplayName == "process telemetry");
        Assert.Equal(ActivityKind.Producer, send.Kind);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal(send.TraceId, process.TraceId);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal(id.Value, process.GetTagItem("messaging.message.id"));
        var names = metrics.Select(m => m.Name).ToHashSet();
        Assert.Contains("messaging.client.sent.messages", names);
        Assert.Contains("messaging.process.duration", names);
        Assert.Contains("taskqueue.queue.jobs", names);
        Assert.Contains("taskqueue.worker.running_jobs", names);
    }

    [Fact]
    public async Task Queue_depth_gauge_reads_each_state_from_the_in_memory_store()
        => await AssertQueueDepthAsync(redisConnection: null);

    [Fact]
    public async Task Queue_depth_gauge_reads_each_state_from_Redis()
        => await AssertQueueDepthAsync(redis.ConnectionString);

    [Fact]
    public async Task Running_jobs_gauge_counts_the_attempts_this_host_runs()
    {
        TelemetryJobs.Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddTaskQueue(o =>
        {
            o.Worker.Queues = ["telemetry-held"];
            o.Worker.PollInterval = TimeSpan.FromMilliseconds(50);
        });
        builder.Services.AddTaskQueueIntegrationTestsJobs();
        using var host = builder.Build();
        using var gauges = new GaugeReader(host.Services);
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IJobClient>();

        await Jobs.Hold.EnqueueAsync(client);
        await Jobs.Hold.EnqueueAsync(client);
        await WaitForAsync(() => Task.FromResult(gauges.Read("taskqueue.worker.running_jobs").Sum(m => m.Value) == 2));
        TelemetryJobs.Release.TrySetResult();
        await WaitForAsync(() => Task.FromResult(gauges.Read("taskqueue.worker.running_jobs").Sum(m => m.Value) == 0));
        await host.StopAsync();
    }

    private static async Task AssertQueueDepthAsync(string? redisConnection)
    {
        var queue = "depth-" + Guid.NewGuid().ToString("N")[..8];
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddTaskQueue(o =>
        {
            o.RunWorker = false;
            o.Worker.Queues = [queue];
            if (redisConnection is not null)
            {
                o.UseRedis(r =>
                {
                    r.ConnectionString = redisConnection;
                    r.KeyPrefix = RedisServerFixture.NewKeyPrefix();
                });
            }
        });
        using var host = builder.Build();
        using var gauges = new GaugeReader(host.Services);
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IJobStore>();
        for (var i = 0; i < 3; i++)
        {
            await store.EnqueueAsync(TestJobs.New(queue: queue));
        }

        for (var i = 0; i < 2; i++)
        {
            await store.EnqueueAsync(TestJobs.New(queue: queue) with { Delay = TimeSpan.FromHours(1) });
        }

        var depth = gauges.Read("taskqueue.queue.jobs")
            .Where(m => (string?)m.Tags["messaging.destination.name"] == queue)
            .ToDictionary(m => (string)m.Tags["taskqueue.job.state"]!, m => m.Value);
        await host.StopAsync();

        Assert.Equal(3, depth["pending"]);
        Assert.Equal(2, depth["scheduled"]);
        Assert.Equal(0, depth["running"] + depth["retrying"] + depth["dead"]);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < Patience, "the condition did not hold within " + Patience);
            await Task.Delay(50);
        }
    }

    /// <summary>Reads the gauges of one host's meter factory on demand, the way an exporter's collection does.</summary>
    private sealed class GaugeReader : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly IMeterFactory _factory;
        private readonly Lock _gate = new();
        private List<(string Name, long Value, Dictionary<string, object?> Tags)> _collected = [];

        public GaugeReader(IServiceProvider services)
        {
            _factory = services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == Telemetry.TaskQueueTelemetry.MeterName && instrument.Meter.Scope == _factory)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var tagMap = new Dictionary<string, object?>();
                foreach (var tag in tags)
                {
                    tagMap[tag.Key] = tag.Value;
                }

                lock (_gate)
                {
                    _collected.Add((instrument.Name, value, tagMap));
                }
            });
            _listener.Start();
        }

        public List<(long Value, Dictionary<string, object?> Tags)> Read(string name)
        {
            lock (_gate)
            {
                _collected = [];
            }

            _listener.RecordObservableInstruments();
            lock (_gate)
            {
                return [.. _collected.Where(c => c.Name == name).Select(c => (c.Value, c.Tags))];
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
