using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskQueue.Processing;
using TaskQueue.Storage;

namespace TaskQueue.Hosting;

/// <summary>Runs the <see cref="Worker"/> for the life of the host, and drains it gracefully on shutdown.</summary>
internal sealed class WorkerHostedService(
    IJobStore store,
    JobDispatcher dispatcher,
    IServiceProvider services,
    IOptions<TaskQueueOptions> options,
    TimeProvider timeProvider,
    ILogger<Worker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunWorker)
        {
            return Task.CompletedTask;
        }

        var worker = new Worker(store, dispatcher, services, options.Value.Worker, timeProvider, logger);
        return worker.RunAsync(stoppingToken);
    }
}
