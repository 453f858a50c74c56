using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TaskQueue.Admin;
using TaskQueue.Processing;
using TaskQueue.Storage;

namespace TaskQueue.Testing;

/// <summary>
/// Tests an app's own jobs: records every job the code under test enqueues (with its arguments, readable through the
/// generated <c>Jobs.X.Deserialize</c>), and runs them on demand with the real worker on a fake clock, so retries
/// and delayed jobs run at once. Get it from a service provider built with <c>AddTaskQueueTesting()</c>.
/// </summary>
public sealed class JobTestHarness
{
    /// <summary>How long <see cref="RunAllAsync"/> may take in real time before it gives up (a job that never ends).</summary>
    private static readonly TimeSpan RealTimeLimit = TimeSpan.FromSeconds(30);

    private readonly RecordingJobStore _store;
    private readonly IServiceProvider _services;
    private readonly TaskQueueOptions _options;

    internal JobTestHarness(RecordingJobStore store, FakeTimeProvider time, IServiceProvider services, IOptions<TaskQueueOptions> options)
    {
        _store = store;
        Time = time;
        _services = services;
        _options = options.Value;
    }

    /// <summary>The clock the store and the worker run on; <see cref="RunAllAsync"/> moves it to each due job.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The store's operator view: job states, attempts, errors, results.</summary>
    public IJobAdmin Admin => _store.Admin;

    /// <summary>Every job enqueued so far, in order.</summary>
    public IReadOnlyList<EnqueuedJob> Enqueued => _store.Enqueued;

    /// <summary>The jobs of one kind enqueued so far, in order, e.g. <c>harness.EnqueuedOf(Jobs.SendEmail.Definition)</c>.</summary>
    public IReadOnlyList<EnqueuedJob> EnqueuedOf(JobDefinition job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return [.. _store.Enqueued.Where(e => e.Name == job.Name)];
    }

    /// <summary>The current state of a job enqueued through this harness.</summary>
    /// <exception cref="ArgumentException">No job with that id was enqueued through this harness.</exception>
    public async Task<JobInfo> GetJobAsync(JobId id)
    {
        var enqueued = _store.Enqueued.LastOrDefault(e => e.Id == id)
            ?? throw new ArgumentException($"No job with id {id} was enqueued through this harness.", nameof(id));
        return await _store.Admin.GetJobAsync(enqueued.Queue, id).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {id} ({enqueued.Name}) is no longer stored (deleted, or past the retention time).");
    }

    /// <summary>
    /// Runs every enqueued job, and the jobs they enqueue, until none is ready, running, scheduled or retrying: delayed
    /// jobs and retries run as soon as nothing else is left, the fake clock jumping to each one's due time (at most
    /// <paramref name="maxFakeTime"/> ahead, default one day). Jobs that fail for good end as dead letters; read them
    /// through <see cref="Admin"/> or <see cref="GetJobAsync"/>.
    /// </summary>
    /// <exception cref="TimeoutException">Jobs were still running after 30 s of real time (a handler that never returns).</exception>
    public async Task RunAllAsync(TimeSpan? maxFakeTime = null)
    {
        var until = Time.GetUtcNow() + (maxFakeTime ?? TimeSpan.FromDays(1));
        var queues = _options.Worker.Queues.Union(_store.Enqueued.Select(e => e.Queue)).Distinct(StringComparer.Ordinal).ToList();
        var options = CopyWorkerOptions(queues);
        var worker = new Worker(_store, _services.GetRequiredService<JobDispatcher>(), _services, options, Time, _services.GetService<ILogger<Worker>>() ?? NullLogger<Worker>.Instance);
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                if (running.IsFaulted)
                {
                    await running.ConfigureAwait(false);
                }

                var (busy, nextDue) = await ReadQueuesAsync(queues).ConfigureAwait(false);
                if (!busy)
                {
                    if (nextDue is not { } due || due > until)
                    {
                        return;
                    }

                    // Nothing to run now: jump to the next delayed job or retry.
                    Time.SetUtcNow(due > Time.GetUtcNow() ? due : Time.GetUtcNow());
                }

                if (clock.Elapsed > RealTimeLimit)
                {
                    throw new TimeoutException($"Jobs were still running after {RealTimeLimit.TotalSeconds:0} s of real time (queues {string.Join(", ", queues)}): a handler that never returns?");
                }

                // Let the worker's fetch, handlers and completions run (they are real tasks on the thread pool).
                await Task.Delay(5).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            while (!running.IsCompleted)
            {
                // A draining worker waits on the fake clock.
                Time.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(running, Task.Delay(5)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether any job is ready or running, and the earliest due time of the scheduled and retrying ones.</summary>
    private async Task<(bool Busy, DateTimeOffset? NextDue)> ReadQueuesAsync(List<string> queues)
    {
        var busy = false;
        DateTimeOffset? next = null;
        foreach (var queue in queues)
        {
            var stats = await _store.Admin.GetQueueStatsAsync(queue).ConfigureAwait(false);
            busy |= stats.Pending > 0 || stats.Active > 0;
            foreach (var state in new[] { JobListState.Scheduled, JobListState.Retrying })
            {
                var first = await _store.Admin.ListJobsAsync(queue, state, 0, 1).ConfigureAwait(false);
                if (first.Jobs.Count > 0 && first.Jobs[0].DueAt is { } due && (next is null || due < next))
                {
                    next = due;
                }
            }
        }

        return (busy, next);
    }

    /// <summary>The app's worker settings, serving <paramref name="queues"/>, with the test's timing.</summary>
    private WorkerOptions CopyWorkerOptions(List<string> queues)
    {
        var configured = _options.Worker;
        return new WorkerOptions
        {
            Queues = queues,
            Concurrency = configured.Concurrency,
            FetchBatchSize = configured.FetchBatchSize,
            LeaseDuration = configured.LeaseDuration,
            ShutdownDrainTime = configured.ShutdownDrainTime,
            UnknownJobGraceTime = configured.UnknownJobGraceTime,
        };
    }
}
