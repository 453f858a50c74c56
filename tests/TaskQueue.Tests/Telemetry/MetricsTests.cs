using TaskQueue.Storage;
using TaskQueue.Tests.Processing;
using Xunit;

namespace TaskQueue.Tests.Telemetry;

/// <summary>The counters and histograms of the <c>TaskQueue</c> meter and their tags.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task Enqueue_attempts_and_outcomes_are_counted_with_queue_job_name_and_outcome()
    {
        using var telemetry = new TelemetryCollector();
        await using var h = new WorkerHarness();
        var job = h.Registry.Add("met-flaky", ctx => ctx.Attempt == 1 ? throw new InvalidOperationException("once") : Task.CompletedTask);
        h.Start();
        var id = await h.EnqueueAsync(job);

        await h.AdvanceUntilAsync(async () => (await h.JobAsync(id)).State == JobState.Succeeded, TimeSpan.FromMilliseconds(500), "the retry to succeed");
        await WorkerHarness.UntilAsync(() => telemetry.MeasurementsOf("taskqueue.job.outcomes", "met-flaky").Count == 2, "two outcomes");

        var sent = Assert.Single(telemetry.MeasurementsOf("messaging.client.sent.messages", "met-flaky"));
        Assert.Equal(1, sent.Value);
        Assert.Equal("{message}", sent.Unit);
        Assert.Equal("default", sent.Tag("messaging.destination.name"));
        Assert.Equal("send", sent.Tag("messaging.operation.name"));
        Assert.Equal("taskqueue", sent.Tag("messaging.system"));

        var consumed = telemetry.MeasurementsOf("messaging.client.consumed.messages", "met-flaky");
        Assert.Equal(2, consumed.Count);
        Assert.All(consumed, m => Assert.Equal(("default", "process"), (m.Tag("messaging.destination.name"), m.Tag("messaging.operation.name"))));

        var outcomes = telemetry.MeasurementsOf("taskqueue.job.outcomes", "met-flaky");
        Assert.Equal(
            [("retried", "System.InvalidOperationException"), ("succeeded", null)],
            outcomes.Select(m => ((string?)m.Tag("taskqueue.job.outcome"), (string?)m.Tag("error.type"))));
        Assert.All(outcomes, m => Assert.Equal("default", m.Tag("messaging.destination.name")));
    }

    [Fact]
    public async Task Handler_duration_and_first_attempt_wait_are_recorded_in_seconds()
    {
        using var telemetry = new TelemetryCollector();
        await using var h = new WorkerHarness();
        var job = h.Registry.Add("met-timed", async _ =>
        {
            // The handler's clock is the worker's fake clock: two seconds pass while it runs.
            h.Time.Advance(TimeSpan.FromSeconds(2));
            await Task.Yield();
        });
        var id = await h.EnqueueAsync(job);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        h.Start();

        await h.UntilStateAsync(id, JobState.Succeeded);
        await WorkerHarness.UntilAsync(() => telemetry.MeasurementsOf("messaging.process.duration", "met-timed").Count == 1, "the duration");

        var wait = Assert.Single(telemetry.MeasurementsOf("taskqueue.job.wait.duration", "met-timed"));
        Assert.Equal(5, wait.Value);
        Assert.Equal("s", wait.Unit);
        Assert.Equal("default", wait.Tag("messaging.destination.name"));
        var duration = Assert.Single(telemetry.MeasurementsOf("messaging.process.duration", "met-timed"));
        Assert.Equal(2, duration.Value);
        Assert.Equal("s", duration.Unit);
        Assert.Equal(("default", "process", null), (duration.Tag("messaging.destination.name"), duration.Tag("messaging.operation.name"), duration.Tag("error.type")));
    }
}
