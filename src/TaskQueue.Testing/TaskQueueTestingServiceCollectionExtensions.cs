using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TaskQueue.Admin;
using TaskQueue.Hosting;
using TaskQueue.Processing;
using TaskQueue.Storage;

namespace TaskQueue.Testing;

/// <summary>Registers <see cref="JobTestHarness"/> in a service collection that already has <c>AddTaskQueue()</c>.</summary>
public static class TaskQueueTestingServiceCollectionExtensions
{
    /// <summary>
    /// Puts the app's jobs on an in-memory store with a fake clock, records every enqueue, and turns the background
    /// worker off: jobs run when the test calls <see cref="JobTestHarness.RunAllAsync"/>. Call it after <c>AddTaskQueue()</c>
    /// and the generated <c>Add&lt;Assembly&gt;Jobs()</c>; whatever store the app configured is replaced.
    /// </summary>
    public static IServiceCollection AddTaskQueueTesting(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // AddTaskQueue binds the TaskQueue configuration section; a plain test service collection has no configuration.
        services.TryAddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        if (!services.Any(d => d.ServiceType == typeof(JobDispatcher)))
        {
            services.AddTaskQueue();
        }

        // Well after the real clock's "now", on a round date, so times in assertions read easily.
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        // The app's store registration (and any StoreFactory it names) is replaced below; no background worker runs.
        services.Configure<TaskQueueOptions>(o => o.RunWorker = false);
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        services.AddSingleton(time);
        services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            var dispatcher = sp.GetRequiredService<JobDispatcher>();
            return new RecordingJobStore(new InMemoryJobStore(time), name => dispatcher.TryGetJob(name, out var job) ? job.Definition : null, time);
        }));
        services.Replace(ServiceDescriptor.Singleton<IJobStore>(sp => sp.GetRequiredService<RecordingJobStore>()));
        services.Replace(ServiceDescriptor.Singleton<IJobAdmin>(sp => sp.GetRequiredService<RecordingJobStore>().Admin));
        services.TryAddSingleton(sp => new JobTestHarness(
            sp.GetRequiredService<RecordingJobStore>(),
            time,
            sp,
            sp.GetRequiredService<IOptions<TaskQueueOptions>>()));
        return services;
    }
}
