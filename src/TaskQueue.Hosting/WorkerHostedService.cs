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
    RunningWorkers workers,
    ILogger<Worker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunWorker)
        {
            return;
        }

        var worker = new Worker(store, dispatcher, services, options.Value.Worker, timeProvider, logger);
        workers.Add(worker);
        try
        {
            await worker.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            workers.Remove(worker);
        }
    }
}
