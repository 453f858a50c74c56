using Microsoft.Extensions.Logging;
using TaskQueue.Processing;
using TaskQueue.Storage;
using TaskQueue.Tests.Processing;
using Xunit;

namespace TaskQueue.Tests.Telemetry;

/// <summary>The logging scope the worker opens around each attempt.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class LogScopeTests
{
    [Fact]
    public async Task Log_lines_written_by_a_handler_carry_the_job_id_name_and_attempt()
    {
        var logs = new ScopeCapturingLoggerFactory();
        var handlerLogger = logs.CreateLogger<LogScopeTests>();
        await using var h = new WorkerHarness { Logger = logs.CreateLogger<Worker>() };
        var job = h.Registry.Add("log-scoped", ctx =>
        {
            handlerLogger.LogInformation("sending the email");
            return ctx.Attempt == 1 ? throw new InvalidOperationException("once") : Task.CompletedTask;
        });
        h.Start();
        var id = await h.EnqueueAsync(job);

        await h.AdvanceUntilAsync(async () => (await h.JobAsync(id)).State == JobState.Succeeded, TimeSpan.FromMilliseconds(500), "the retry to succeed");

        var lines = logs.Entries.Where(e => e.Message == "sending the email").ToList();
        Assert.Equal([1, 2], lines.Select(l => l.Scope["Attempt"]));
        Assert.All(lines, l => Assert.Equal((id.Value, "log-scoped"), (l.Scope["JobId"], l.Scope["JobName"])));

        // The worker's own lines about the attempt carry it too; its lines outside an attempt do not.
        Assert.Contains(logs.Entries, e => e.Message.Contains("succeeded", StringComparison.Ordinal) && Equals(e.Scope.GetValueOrDefault("Attempt"), 2));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("started on queues", StringComparison.Ordinal) && e.Scope.ContainsKey("JobId"));
    }
}
