// TaskQueue quick start: one process, in-memory store, nothing to install.
// Enqueues typed jobs at every priority, a delayed one, one that fails twice then succeeds and
// one that runs out of retries, then starts the worker and exits once every job has finished.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using QuickStart;
using TaskQueue;
using TaskQueue.Admin;
using TaskQueue.Client;
using TaskQueue.Hosting;
using TaskQueue.Storage;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders();
// One line per event; a failure shows its exception's type and message, the full trace stays stored on the job.
builder.Logging.AddConsole(o => o.FormatterName = OneLineConsoleFormatter.FormatterName)
    .AddConsoleFormatter<OneLineConsoleFormatter, ConsoleFormatterOptions>();
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
builder.Services.AddTaskQueue(o =>
{
    // One job at a time, so the log shows the strict priority order.
    o.Worker.Concurrency = 1;
    o.Worker.ShutdownDrainTime = TimeSpan.FromSeconds(2);
});
builder.Services.AddQuickStartJobs();

using var host = builder.Build();
var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("QuickStart");
SampleJobs.Log = log;
var client = host.Services.GetRequiredService<IJobClient>();
var admin = host.Services.GetRequiredService<IJobAdmin>();

// Enqueued lowest priority first: the worker still runs them critical -> high -> normal -> low.
var enqueued = new List<JobId>
{
    await Jobs.RebuildSearchIndex.EnqueueAsync(["products", "customers"]),
    await Jobs.ResizeImage.EnqueueAsync("photos/cat.png", 800),
    await Jobs.SendEmail.EnqueueAsync("ada@example.com", "Your order has shipped"),
    await Jobs.ChargeCard.EnqueueAsync(new Order(Guid.NewGuid(), 42.50m, "EUR", [new("BOOK-1", 2), new("PEN-7", 1)])),
    await Jobs.ChargeCard.EnqueueAsync(new Order(Guid.NewGuid(), 9.99m, "EUR", [new("MUG-3", 1)])),
    await Jobs.SendReminder.ScheduleAsync("grace@example.com", DateTimeOffset.Now.AddSeconds(2), TimeSpan.FromSeconds(2)),
    await Jobs.CallFlakyPartner.EnqueueAsync("https://partner.example/api"),
    await Jobs.ImportLegacyFeed.EnqueueAsync("https://legacy.example/feed.xml"),
};

// The same idempotency key returns the first job's id and stores nothing new.
var first = await Jobs.SendEmail.EnqueueAsync("bob@example.com", "Welcome!", new JobOptions { IdempotencyKey = "welcome-bob" });
var again = await Jobs.SendEmail.EnqueueAsync("bob@example.com", "Welcome!", new JobOptions { IdempotencyKey = "welcome-bob" });
enqueued.Add(first);
log.LogInformation("enqueued {Count} jobs; idempotent enqueue returned the same id: {Same}", enqueued.Count, first == again);

await host.StartAsync();

// Wait (at most 15 s) until every job has succeeded or become a dead letter.
var deadline = DateTime.UtcNow.AddSeconds(15);
var finished = 0;
while (DateTime.UtcNow < deadline)
{
    finished = 0;
    foreach (var id in enqueued)
    {
        var info = await admin.GetJobAsync(JobDefaults.Queue, id);
        if (info?.State is JobState.Succeeded or JobState.Dead)
        {
            finished++;
        }
    }

    if (finished == enqueued.Count)
    {
        break;
    }

    await Task.Delay(100);
}

var resized = await admin.GetJobAsync(JobDefaults.Queue, enqueued[1]);
log.LogInformation("ResizeImage returned {Result}", resized?.Result is { } r ? System.Text.Encoding.UTF8.GetString(r.Span) : "(nothing)");
foreach (var dead in (await admin.ListJobsAsync(JobDefaults.Queue, JobListState.Dead, 0, 10)).Jobs)
{
    log.LogInformation("dead letter: {Name} {Id} after {Attempts} attempts: {Error}", dead.Name, dead.Id, dead.Attempt, dead.LastError?.Split('\n')[0]);
}

var stats = await admin.GetQueueStatsAsync(JobDefaults.Queue);
log.LogInformation("done: {Finished}/{Total} jobs finished; processed {Processed}, failed attempts {Failed}, dead {Dead}",
    finished, enqueued.Count, stats.ProcessedToday, stats.FailedToday, stats.Dead);
await host.StopAsync();
return finished == enqueued.Count ? 0 : 1;
