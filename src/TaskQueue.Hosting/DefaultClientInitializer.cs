using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskQueue.Client;

namespace TaskQueue.Hosting;

/// <summary>Resolves the <see cref="IJobClient"/> when the host starts, which makes it <see cref="JobClient.Default"/>.</summary>
internal sealed class DefaultClientInitializer(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<IJobClient>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
