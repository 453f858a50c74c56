using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskQueue.Client;

namespace TaskQueue.Hosting;

/// <summary>Resolves the <see cref="IJobClient"/> (and the recurring-job client) when the host starts, which makes them the defaults of generated proxies.</summary>
internal sealed class DefaultClientInitializer(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<IJobClient>();
        if (services.GetRequiredService<Storage.IJobStore>() is Scheduling.IScheduleStore)
        {
            // Makes it RecurringJobClient.Default for the generated ScheduleRecurringAsync proxies.
            _ = services.GetRequiredService<Scheduling.IRecurringJobClient>();
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
