using TaskQueue.Client;
using TaskQueue.Processing;
using TaskQueue.Scheduling;
using TaskQueue.Storage;

namespace TaskQueue;

/// <summary>
/// Settings of <c>services.AddTaskQueue(...)</c> (TaskQueue.Hosting). Bound from the <c>TaskQueue</c> configuration
/// section first, then the configure callback runs, so code wins over configuration.
/// </summary>
/// <remarks>
/// Lives in the core assembly so storage packages can add <c>UseRedis(...)</c>-style extensions without
/// depending on the hosting package.
/// </remarks>
public sealed class TaskQueueOptions
{
    /// <summary>The worker's settings (section <c>TaskQueue:Worker</c>).</summary>
    public WorkerOptions Worker { get; set; } = new();

    /// <summary>The client's settings (section <c>TaskQueue:Client</c>).</summary>
    public JobClientOptions Client { get; set; } = new();

    /// <summary>The recurring-job scheduler's settings (section <c>TaskQueue:Scheduler</c>); it runs beside the worker.</summary>
    public RecurringSchedulerOptions Scheduler { get; set; } = new();

    /// <summary>False for producer-only apps: jobs can be enqueued but no worker runs in this process. Default: true.</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>Creates the store; null means the in-memory store.</summary>
    public Func<IServiceProvider, IJobStore>? StoreFactory { get; private set; }

    /// <summary>Uses the store <paramref name="factory"/> makes (storage packages add <c>UseRedis(...)</c> on top of this).</summary>
    public TaskQueueOptions UseStore(Func<IServiceProvider, IJobStore> factory)
    {
        StoreFactory = factory ?? throw new ArgumentNullException(nameof(factory));
        return this;
    }
}
