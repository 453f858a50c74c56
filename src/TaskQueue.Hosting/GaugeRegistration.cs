using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TaskQueue.Hosting;

/// <summary>Creates the <see cref="QueueGauges"/> when the host starts, so a listener sees them without anyone asking for them.</summary>
internal sealed class GaugeRegistration(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<QueueGauges>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
