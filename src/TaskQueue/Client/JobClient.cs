using System.Diagnostics;
using TaskQueue.Storage;
using TaskQueue.Telemetry;

namespace TaskQueue.Client;

/// <summary>The <see cref="IJobClient"/> over any <see cref="IJobStore"/>.</summary>
public sealed class JobClient : IJobClient
{
    private static IJobClient? s_default;
    private readonly IJobStore _store;

    /// <summary>Creates a client over <paramref name="store"/>.</summary>
    public JobClient(IJobStore store, JobClientOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        Options = options ?? new JobClientOptions();
    }

    /// <summary>The client's settings.</summary>
    public JobClientOptions Options { get; }

    /// <summary>
    /// The client that generated proxies use when none is passed. <c>AddTaskQueue</c> sets it when the
    /// host builds its services; set it yourself when you use TaskQueue without the hosting package.
    /// </summary>
    /// <exception cref="InvalidOperationException">Read before any client was configured.</exception>
    public static IJobClient Default
    {
        get => Volatile.Read(ref s_default) ?? throw new InvalidOperationException(
            "No default TaskQueue job client is configured. Call services.AddTaskQueue(...) and build the host "
            + "(or resolve IJobClient) before calling Jobs.<Name>.EnqueueAsync without a client, "
            + "or set TaskQueue.Client.JobClient.Default, or pass an IJobClient explicitly.");
        set => Volatile.Write(ref s_default, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <inheritdoc/>
    public async ValueTask<JobId> EnqueueAsync(JobDefinition job, ReadOnlyMemory<byte> payload, JobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var queue = options?.Queue ?? job.Queue;
        using var activity = JobActivities.StartSend(queue, job.Name);
        try
        {
            var newJob = ToNewJob(job, payload, options, JobActivities.TraceParentOf(activity));
            activity?.SetTag(TelemetryTags.MessageId, newJob.Id.Value);
            var result = await _store.EnqueueAsync(newJob, cancellationToken).ConfigureAwait(false);
            JobMetrics.Sent(queue, job.Name, errorType: null);
            return result.Id;
        }
        catch (Exception exception)
        {
            OnSendFailed(activity, exception, queue, job.Name);
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<JobId>> EnqueueManyAsync(IReadOnlyList<JobRequest> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);

        // One span for the call: every job carries its context, so each attempt's span is its child.
        using var activity = JobActivities.StartSendMany(jobs);
        var traceParent = JobActivities.TraceParentOf(activity);
        var newJobs = new NewJob[jobs.Count];
        IReadOnlyList<EnqueueResult> results;
        try
        {
            for (var i = 0; i < newJobs.Length; i++)
            {
                var request = jobs[i];
                newJobs[i] = ToNewJob(request.Job, request.Payload, request.Options, traceParent);
            }

            results = await _store.EnqueueManyAsync(newJobs, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            activity?.SetError(exception);
            CountSent(newJobs, TelemetryTags.ErrorTypeOf(exception));
            throw;
        }

        CountSent(newJobs, errorType: null);
        var ids = new JobId[results.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = results[i].Id;
        }

        return ids;
    }

    /// <inheritdoc/>
    public ValueTask<bool> CancelAsync(string queue, JobId id, CancellationToken cancellationToken = default)
        => _store.CancelAsync(JobNames.ValidateQueueName(queue, nameof(queue)), id, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<JobInfo?> GetJobAsync(string queue, JobId id, CancellationToken cancellationToken = default)
        => _store.GetJobAsync(JobNames.ValidateQueueName(queue, nameof(queue)), id, cancellationToken);

    private static void OnSendFailed(Activity? activity, Exception exception, string queue, string jobName)
    {
        activity?.SetError(exception);
        JobMetrics.Sent(queue, jobName, TelemetryTags.ErrorTypeOf(exception));
    }

    private static void CountSent(NewJob?[] jobs, string? errorType)
    {
        if (!JobMetrics.SentEnabled)
        {
            return;
        }

        foreach (var job in jobs)
        {
            // Null when building an earlier job threw; nothing after it was sent either.
            if (job is null)
            {
                break;
            }

            JobMetrics.Sent(job.Queue, job.Name, errorType);
        }
    }

    private NewJob ToNewJob(JobDefinition job, ReadOnlyMemory<byte> payload, JobOptions? options, string? traceParent)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (options is null)
        {
            return new NewJob
            {
                Id = JobId.New(),
                Name = job.Name,
                Queue = job.Queue,
                Priority = job.Priority,
                Payload = payload,
                MaxRetries = job.MaxRetries,
                Timeout = job.Timeout,
                IdempotencyTtl = Options.DefaultIdempotencyTtl,
                TraceParent = traceParent,
            };
        }

        // The store validates every NewJob with the same rule (NewJob.Validate); checking here too gives the
        // caller the error before anything is sent, naming the option by its field.
        var newJob = new NewJob
        {
            Id = JobId.New(),
            Name = job.Name,
            Queue = options.Queue ?? job.Queue,
            Priority = options.Priority ?? job.Priority,
            Payload = payload,
            MaxRetries = job.MaxRetries,
            Timeout = options.Timeout ?? job.Timeout,
            RunAt = options.RunAt,
            Delay = options.Delay,
            IdempotencyKey = options.IdempotencyKey,
            IdempotencyTtl = options.IdempotencyTtl ?? Options.DefaultIdempotencyTtl,
            UniqueUntilFinished = options.UniqueUntilFinished,
            TraceParent = traceParent,
        };
        newJob.Validate(_store.MaxPayloadBytes, nameof(options));
        return newJob;
    }
}
