using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskQueue.Processing;
using TaskQueue.Scheduling;
using TaskQueue.Storage;

namespace TaskQueue.Hosting;

/// <summary>
/// In a host that runs the worker: registers the application's declared schedules (retiring those it no longer
/// declares), then runs a <see cref="RecurringScheduler"/> for the life of the host. Every worker process may run one:
/// the store's compare-and-set makes each occurrence run once, so there is no leader to elect.
/// </summary>
internal sealed class SchedulerHostedService(
    IJobStore store,
    IEnumerable<IJobRegistry> registries,
    IOptions<TaskQueueOptions> options,
    IHostEnvironment environment,
    TimeProvider timeProvider,
    ILogger<RecurringScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.RunWorker || store is not IScheduleStore schedules)
        {
            return;
        }

        await SyncDeclaredAsync(stoppingToken).ConfigureAwait(false);
        if (settings.Scheduler.Enabled && !stoppingToken.IsCancellationRequested)
        {
            await new RecurringScheduler(schedules, settings.Scheduler, timeProvider, logger).RunAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Registers the declared schedules, retrying while the store is unavailable (the host has started regardless).</summary>
    private async Task SyncDeclaredAsync(CancellationToken stoppingToken)
    {
        var declared = registries.OfType<IDeclaredSchedules>().SelectMany(r => r.DeclaredSchedules).ToList();
        var client = new RecurringJobClient(store);
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var retired = await client.SyncDeclaredAsync(environment.ApplicationName, declared, stoppingToken).ConfigureAwait(false);
                foreach (var name in retired)
                {
                    logger.LogInformation("Retired declared schedule {Schedule}: this application declares it no more", name);
                }

                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Registering the declared recurring schedules failed; retrying in {RetryDelay}", delay);
            }

            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, delay.Ticks * 2));
        }
    }
}
