using System.Diagnostics;
using TaskQueue.Client;
using TaskQueue.Storage;
using TaskQueue.Tests.Processing;
using Xunit;

namespace TaskQueue.Tests.Telemetry;

/// <summary>The send span of an enqueue, the process span of each attempt, and what each attempt became.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracingTests
{
    private static readonly TimeSpan RetryStep = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Every_attempt_span_is_a_child_of_the_enqueue_send_span_in_one_trace()
    {
        using var telemetry = new TelemetryCollector();
        await using var h = new WorkerHarness();
        var job = h.Registry.Add("tel-trace", ctx => ctx.Attempt < 3 ? throw new InvalidOperationException("boom " + ctx.Attempt) : Task.CompletedTask);
        h.Start();
        var id = await h.EnqueueAsync(job);

        await h.AdvanceUntilAsync(async () => (await h.JobAsync(id)).State == JobState.Succeeded, RetryStep, "the third attempt to succeed");
        await WorkerHarness.UntilAsync(() => telemetry.SpansOf("tel-trace").Count == 4, "four spans");

        var spans = telemetry.SpansOf("tel-trace");
        var send = Assert.Single(spans, s => s.Kind == ActivityKind.Producer);
        Assert.Equal("send default", send.DisplayName);
        Assert.Equal("send", send.GetTagItem("messaging.operation.type"));
        Assert.Equal("taskqueue", send.GetTagItem("messaging.system"));
        Assert.Equal("default", send.GetTagItem("messaging.destination.name"));
        Assert.Equal(id.Value, send.GetTagItem("messaging.message.id"));

        var attempts = spans.Where(s => s.Kind == ActivityKind.Consumer).OrderBy(s => s.GetTagItem("taskqueue.job.attempt")).ToList();
        Assert.Equal([1, 2, 3], attempts.Select(a => a.GetTagItem("taskqueue.job.attempt")));
        Assert.All(attempts, a =>
        {
            Assert.Equal("process default", a.DisplayName);
            Assert.Equal(send.TraceId, a.TraceId);
            Assert.Equal(send.SpanId, a.ParentSpanId);
            Assert.Equal("process", a.GetTagItem("messaging.operation.type"));
            Assert.Equal("process", a.GetTagItem("messaging.operation.name"));
            Assert.Equal(id.Value, a.GetTagItem("messaging.message.id"));
        });
    }

    [Fact]
    public async Task Failed_attempts_show_error_status_and_exception_event_then_the_retry_succeeds()
    {
        using var telemetry = new TelemetryCollector();
        await using var h = new WorkerHarness();
        var job = h.Registry.Add("tel-flaky", ctx => ctx.Attempt < 3 ? throw new InvalidOperationException("boom " + ctx.Attempt) : Task.CompletedTask);
        h.Start();
        var id = await h.EnqueueAsync(job);

        await h.AdvanceUntilAsync(async () => (await h.JobAsync(id)).State == JobState.Succeeded, RetryStep, "the third attempt to succeed");
        await WorkerHarness.UntilAsync(() => Attempts(telemetry, "tel-flaky").Count == 3, "three attempt spans");

        var attempts = Attempts(telemetry, "tel-flaky");
        foreach (var failed in attempts.Take(2))
        {
            Assert.Equal(ActivityStatusCode.Error, failed.Status);
            Assert.Equal("retried", failed.GetTagItem("taskqueue.job.outcome"));
            Assert.Equal("System.InvalidOperationException", failed.GetTagItem("error.type"));
            var exception = Assert.Single(failed.Events, e => e.Name == "exception");
            Assert.Contains(exception.Tags, t => t.Key == "exception.type" && Equals(t.Value, "System.InvalidOperationException"));
        }

        var succeeded = attempts[2];
        Assert.Equal(ActivityStatusCode.Unset, succeeded.Status);
        Assert.Equal("succeeded", succeeded.GetTagItem("taskqueue.job.outcome"));
        Assert.Null(succeeded.GetTagItem("error.type"));
        Assert.Empty(succeeded.Events);
    }

    [Fact]
    public async Task Handler_activity_is_a_child_of_its_attempt_span()
    {
        using var telemetry = new TelemetryCollector();
        await using var h = new WorkerHarness();
        var job = h.Registry.Add("tel-nested", _ =>
        {
            using var call = TelemetryCollector.HandlerSource.StartActivity("GET example");
            return Task.CompletedTask;
        });
        h.Start();
        var id = await h.EnqueueAsync(job);

        await h.UntilStateAsync(id, JobState.Succeeded);
        await WorkerHarness.UntilAsync(() => Attempts(telemetry, "tel-nested").Count == 1, "the attempt span");

        var attempt = Assert.Single(Attempts(telemetry, "tel-nested"));
        var call = Assert.Single(telemetry.Spans, s => s.Source == TelemetryCollector.HandlerSource && s.TraceId == attempt.TraceId);
        Assert.Equal(attempt.SpanId, call.ParentSpanId);
    }

    [Fact]
    public async Task Job_out_of_retries_shows_dead_lettered_with_error_status()
    {
        using var telemetry = new TelemetryCollector();
        await using var h = new WorkerHarness();
        var job = h.Registry.Add("tel-dead", _ => throw new FormatException("bad input"), maxRetries: 0);
        h.Start();
        var id = await h.EnqueueAsync(job);

        await h.UntilStateAsync(id, JobState.Dead);
        await WorkerHarness.UntilAsync(() => Attempts(telemetry, "tel-dead").Count == 1, "the attempt span");

        var attempt = Assert.Single(Attempts(telemetry, "tel-dead"));
        Assert.Equal("dead_lettered", attempt.GetTagItem("taskqueue.job.outcome"));
        Assert.Equal(ActivityStatusCode.Error, attempt.Status);
        Assert.Equal("System.FormatException", attempt.GetTagItem("error.type"));
        Assert.Single(attempt.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task Timed_out_attempt_shows_timeout_error_and_its_outcome()
    {
        using var telemetry = new TelemetryCollector();
        await using var h = new WorkerHarness();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = h.Registry.Add("tel-timeout", _ => { started.TrySetResult(); return release.Task; }, maxRetries: 0, timeout: TimeSpan.FromSeconds(1));
        h.Start();
        var id = await h.EnqueueAsync(job);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        h.Time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(20);
        release.SetResult();

        await h.UntilStateAsync(id, JobState.Dead);
        await WorkerHarness.UntilAsync(() => Attempts(telemetry, "tel-timeout").Count == 1, "the attempt span");

        var attempt = Assert.Single(Attempts(telemetry, "tel-timeout"));
        Assert.Equal("timeout", attempt.GetTagItem("error.type"));
        Assert.Equal("dead_lettered", attempt.GetTagItem("taskqueue.job.outcome"));
        Assert.Equal(ActivityStatusCode.Error, attempt.Status);
        var exception = Assert.Single(attempt.Events, e => e.Name == "exception");
        Assert.Contains(exception.Tags, t => t.Key == "exception.type" && Equals(t.Value, "System.TimeoutException"));
    }

    [Fact]
    public async Task Job_with_an_unknown_name_shows_deferred()
    {
        using var telemetry = new TelemetryCollector();
        await using var h = new WorkerHarness(o => o.UnknownJobGraceTime = TimeSpan.FromMinutes(10));
        h.Registry.Add("tel-known", _ => Task.CompletedTask);
        var unknown = new JobDefinition("tel-unknown", JobDefaults.Queue, Priority.Normal, 0, null, RetryPolicy.Default, requiresScope: false);
        h.Start();
        var id = await h.EnqueueAsync(unknown);

        await WorkerHarness.UntilAsync(async () => (await h.JobAsync(id)).Deferrals == 1, "the first deferral");
        await WorkerHarness.UntilAsync(() => Attempts(telemetry, "tel-unknown").Count == 1, "the attempt span");

        var attempt = Assert.Single(Attempts(telemetry, "tel-unknown"));
        Assert.Equal("deferred", attempt.GetTagItem("taskqueue.job.outcome"));
        Assert.Equal("TaskQueue.Processing.UnknownJobException", attempt.GetTagItem("error.type"));
        var send = Assert.Single(telemetry.SpansOf("tel-unknown"), s => s.Kind == ActivityKind.Producer);
        Assert.Equal(send.SpanId, attempt.ParentSpanId);
    }

    [Fact]
    public async Task Job_cancelled_while_running_shows_cancelled()
    {
        using var telemetry = new TelemetryCollector();
        await using var h = new WorkerHarness();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = h.Registry.Add("tel-cancel", async ctx => { started.TrySetResult(); await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken); });
        h.Start();
        var id = await h.EnqueueAsync(job);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await h.Client.CancelAsync(JobDefaults.Queue, id);

        await WorkerHarness.UntilAsync(() => Attempts(telemetry, "tel-cancel").Count == 1, "the attempt span");
        Assert.Equal("cancelled", Assert.Single(Attempts(telemetry, "tel-cancel")).GetTagItem("taskqueue.job.outcome"));
    }

    [Fact]
    public async Task Attempt_still_running_at_shutdown_shows_released()
    {
        using var telemetry = new TelemetryCollector();
        await using var h = new WorkerHarness(o => o.ShutdownDrainTime = TimeSpan.Zero);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = h.Registry.Add("tel-release", async ctx => { started.TrySetResult(); await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken); });
        h.Start();
        await h.EnqueueAsync(job);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await h.StopAsync();

        await WorkerHarness.UntilAsync(() => Attempts(telemetry, "tel-release").Count == 1, "the attempt span");
        Assert.Equal("released", Assert.Single(Attempts(telemetry, "tel-release")).GetTagItem("taskqueue.job.outcome"));
    }

    [Fact]
    public async Task Bulk_enqueue_makes_one_send_span_with_the_batch_count_that_parents_every_job()
    {
        using var telemetry = new TelemetryCollector();
        await using var h = new WorkerHarness(o => { o.Concurrency = 3; o.FetchBatchSize = 3; });
        var job = h.Registry.Add("tel-bulk", _ => Task.CompletedTask);
        h.Start();
        JobRequest request = new(job, "{}"u8.ToArray());
        var ids = await h.Client.EnqueueManyAsync([request, request, request]);

        foreach (var id in ids)
        {
            await h.UntilStateAsync(id, JobState.Succeeded);
        }

        await WorkerHarness.UntilAsync(() => Attempts(telemetry, "tel-bulk").Count == 3, "three attempt spans");
        var send = Assert.Single(telemetry.SpansOf("tel-bulk"), s => s.Kind == ActivityKind.Producer);
        Assert.Equal(3, send.GetTagItem("messaging.batch.message_count"));
        Assert.Equal("send default", send.DisplayName);
        var attempts = Attempts(telemetry, "tel-bulk");
        Assert.Equal(ids.Select(i => i.Value).Order(), attempts.Select(a => (string)a.GetTagItem("messaging.message.id")!).Order());
        Assert.All(attempts, a => Assert.Equal(send.SpanId, a.ParentSpanId));
    }

    [Fact]
    public async Task Enqueue_stores_the_send_span_context_with_the_job()
    {
        using var telemetry = new TelemetryCollector();
        var store = new InMemoryJobStore();
        var client = new JobClient(store);
        var job = new JobDefinition("tel-stored", "tel-stored", Priority.Normal, 0, null, RetryPolicy.Default, requiresScope: false);

        await client.EnqueueAsync(job, "{}"u8.ToArray());

        var send = Assert.Single(telemetry.SpansOf("tel-stored"));
        var leased = Assert.Single(await store.FetchAsync(new FetchRequest("tel-stored", 1, TimeSpan.FromMinutes(1), "test-worker")));
        Assert.Equal(send.Id, leased.TraceParent);
    }

    [Fact]
    public async Task Without_a_listener_enqueue_stores_no_trace_context()
    {
        var store = new InMemoryJobStore();
        var client = new JobClient(store);
        var job = new JobDefinition("tel-silent", "tel-silent", Priority.Normal, 0, null, RetryPolicy.Default, requiresScope: false);

        await client.EnqueueAsync(job, "{}"u8.ToArray());
        await client.EnqueueManyAsync([new JobRequest(job, "{}"u8.ToArray())]);

        var leased = await store.FetchAsync(new FetchRequest("tel-silent", 2, TimeSpan.FromMinutes(1), "test-worker"));
        Assert.Equal(2, leased.Count);
        Assert.All(leased, j => Assert.Null(j.TraceParent));
    }

    private static List<Activity> Attempts(TelemetryCollector telemetry, string jobName)
        => [.. telemetry.SpansOf(jobName).Where(s => s.Kind == ActivityKind.Consumer).OrderBy(s => (int)s.GetTagItem("taskqueue.job.attempt")!)];
}
