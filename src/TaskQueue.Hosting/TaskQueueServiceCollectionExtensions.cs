using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskQueue.Admin;
using TaskQueue.Client;
using TaskQueue.Processing;
using TaskQueue.Storage;

namespace TaskQueue.Hosting;

/// <summary>Registers TaskQueue in a <see cref="IServiceCollection"/>.</summary>
public static class TaskQueueServiceCollectionExtensions
{
    /// <summary>The configuration section options are bound from.</summary>
    public const string ConfigurationSection = "TaskQueue";

    /// <summary>
    /// Adds the job client, the store (in-memory unless configured otherwise), the store's operator interface
    /// (<see cref="IJobAdmin"/>) and, unless
    /// <see cref="TaskQueueOptions.RunWorker"/> is false, a hosted worker. Settings are read from the
    /// <c>TaskQueue</c> configuration section, then <paramref name="configure"/> runs. Register your
    /// jobs with the generated <c>services.Add&lt;Assembly&gt;Jobs()</c>.
    /// </summary>
    public static IServiceCollection AddTaskQueue(this IServiceCollection services, Action<TaskQueueOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<TaskQueueOptions>()
            .Configure<IConfiguration>((options, configuration) => Bind(options, configuration.GetSection(ConfigurationSection)))
            .Configure(options => configure?.Invoke(options))
            .Validate(options =>
            {
                options.Worker.Validate();
                return true;
            });

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IJobStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TaskQueueOptions>>().Value;
            return options.StoreFactory?.Invoke(sp) ?? new InMemoryJobStore(sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<IJobAdmin>(sp => sp.GetRequiredService<IJobStore>() as IJobAdmin
            ?? throw new InvalidOperationException($"The job store {sp.GetRequiredService<IJobStore>().GetType().Name} does not implement {nameof(IJobAdmin)}, so operator tools (dashboard, API, CLI) cannot use it."));
        services.TryAddSingleton<IJobClient>(sp =>
        {
            var client = new JobClient(sp.GetRequiredService<IJobStore>(), sp.GetRequiredService<IOptions<TaskQueueOptions>>().Value.Client);
            JobClient.Default = client;
            return client;
        });
        services.TryAddSingleton(sp => new JobDispatcher(sp.GetServices<IJobRegistry>()));
        services.TryAddSingleton<RunningWorkers>();

        // The gauges exist once the host resolves them at start (below); hosts built without metrics get a factory here.
        services.AddMetrics();
        services.TryAddSingleton<QueueGauges>();

        // Resolving the client at start sets JobClient.Default for generated proxies even if nothing asked for IJobClient yet.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DefaultClientInitializer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GaugeRegistration>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WorkerHostedService>());
        services.AddOptions<HostOptions>().Configure<IOptions<TaskQueueOptions>>((host, taskQueue) =>
        {
            // The host must wait at least as long as the worker drains, or it would abandon running jobs.
            var needed = taskQueue.Value.Worker.ShutdownDrainTime + TimeSpan.FromSeconds(5);
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
        return services;
    }

    private static void Bind(TaskQueueOptions options, IConfiguration section)
    {
        if (section["RunWorker"] is { } runWorker)
        {
            options.RunWorker = bool.Parse(runWorker);
        }

        var worker = section.GetSection("Worker");
        if (worker.GetSection("Queues").GetChildren().Any())
        {
            // The binder appends to lists; configured queues replace the default instead.
            options.Worker.Queues.Clear();
        }

        worker.Bind(options.Worker);
        section.GetSection("Client").Bind(options.Client);
    }
}
