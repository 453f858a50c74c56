// A TaskQueue worker host, publishable as a NativeAOT binary.
//   TaskQueue.SampleWorker                     run until Ctrl+C (in-memory store)
//   TaskQueue.SampleWorker --demo 1000         enqueue 1000 jobs, process them, print timings, exit
//   TaskQueue.SampleWorker --redis localhost   use Redis (a StackExchange.Redis connection string, plus keyPrefix=...)
//   TaskQueue.SampleWorker --redis ... --fault-drill 127.0.0.1:7000
//                                              fault suite: the FaultDrill job records each finished run in that Redis
//   TaskQueue.SampleWorker --help              usage; an unknown argument prints it on stderr and exits with 2
// Any setting can also come from configuration, e.g. --TaskQueue:Worker:Queues:0=drills --TaskQueue:Worker:Concurrency=8
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SampleWorker;
using TaskQueue.Hosting;
using TaskQueue.Redis;
using TaskQueue.Storage;

var started = Environment.TickCount64;
var arguments = WorkerArguments.Parse(args);
if (arguments.Help)
{
    Console.WriteLine(WorkerArguments.Usage);
    return 0;
}

if (arguments.Error is not null)
{
    Console.Error.WriteLine(arguments.Error);
    Console.Error.WriteLine(WorkerArguments.Usage);
    return 2;
}

if (arguments.FaultDrillLedger is not null)
{
    await FaultDrillLedger.ConnectAsync(arguments.FaultDrillLedger);
}

var demoJobs = arguments.DemoJobs;
var redis = arguments.Redis;

// A worker does not hot-reload appsettings.json; watching the content root for changes cost ~35 ms of start-up
// (docs/benchmarks.md, NativeAOT). Everything else is the default host: appsettings.json, environment, command line.
var configuration = new ConfigurationManager();
configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = arguments.HostArguments, Configuration = configuration });
builder.Logging.AddFilter("TaskQueue", LogLevel.Warning);
builder.Services.AddTaskQueue(o =>
{
    if (redis is not null)
    {
        o.UseRedis(redis);
    }
});
builder.Services.AddTaskQueueSampleWorkerJobs();

using var host = builder.Build();
var built = Environment.TickCount64;
await host.StartAsync();
var hostStarted = Environment.TickCount64;
Console.WriteLine($"worker started (pid {Environment.ProcessId}, store {(redis is null ? "in-memory" : "redis")})");
if (demoJobs == 0)
{
    await host.WaitForShutdownAsync();
    return 0;
}

// The Redis store connects in the background (the host starts even while Redis is down, and enqueue fails fast
// until it is up); the demo enqueues right away, so it waits for the connection first.
if (host.Services.GetRequiredService<IJobStore>() is IJobStoreStartup store)
{
    await store.WaitUntilAvailableAsync(CancellationToken.None);
}

for (var i = 0; i < demoJobs; i++)
{
    await Jobs.Ping.EnqueueAsync(i, "demo");
}

var checkout = await Jobs.Checkout.EnqueueAsync(new Cart("ada", new() { ["BOOK-1"] = 12.5m }, new() { ["BOOK-1"] = 2 }));
await Jobs.CheckLink.EnqueueAsync(new Uri("https://example.com/health"));
var expected = demoJobs + 2;
var stopwatch = Stopwatch.StartNew();
while (WorkerJobs.Processed < expected && stopwatch.Elapsed < TimeSpan.FromSeconds(30))
{
    await Task.Delay(5);
}

Console.WriteLine($"processed {WorkerJobs.Processed}/{expected} jobs");
Console.WriteLine($"start to first job: {WorkerJobs.FirstJobTicks - started} ms (host built at {built - started} ms, started at {hostStarted - started} ms)");
Console.WriteLine($"checkout job: {checkout}");
await host.StopAsync();
return WorkerJobs.Processed == expected ? 0 : 1;
