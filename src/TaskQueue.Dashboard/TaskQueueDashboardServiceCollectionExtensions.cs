using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskQueue.Admin;
using TaskQueue.Dashboard.Api;
using TaskQueue.Processing;
using TaskQueue.Storage;

namespace TaskQueue.Dashboard;

/// <summary>Registers what <see cref="TaskQueueEndpointRouteBuilderExtensions.MapTaskQueue"/> needs.</summary>
public static class TaskQueueDashboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds the HTTP API's services and settings. TaskQueue itself (<c>services.AddTaskQueue()</c>, which registers the
    /// store) and your jobs (<c>services.Add&lt;Assembly&gt;Jobs()</c>) are registered as usual; the API reads and acts
    /// through <see cref="IJobAdmin"/> only (the store's, when nothing else registers one).
    /// </summary>
    public static IServiceCollection AddTaskQueueDashboard(this IServiceCollection services, Action<TaskQueueDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TaskQueueDashboardOptions>()
            .Configure(options => configure?.Invoke(options))
            .Validate(options =>
            {
                options.Validate();
                return true;
            });
        services.TryAddSingleton<IJobAdmin>(static sp => sp.GetRequiredService<IJobStore>() as IJobAdmin
            ?? throw new InvalidOperationException(
                $"The TaskQueue HTTP API needs an IJobAdmin: the registered store ({sp.GetRequiredService<IJobStore>().GetType().Name}) does not implement it. Register one with services.AddSingleton<IJobAdmin>(...)."));
        services.TryAddSingleton(static sp => new JobCatalog(sp.GetServices<IJobRegistry>()));
        services.TryAddSingleton<ApiAccess>();
        services.TryAddSingleton<DashboardMarker>();
        services.AddAuthorization();
        // The API's response types, resolved without reflection (the host's own types keep their resolvers).
        services.Configure<JsonOptions>(static o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, DashboardJsonContext.Default));
        return services;
    }
}

/// <summary>Shows <c>MapTaskQueue</c> that <c>AddTaskQueueDashboard</c> ran.</summary>
internal sealed class DashboardMarker;
