using TaskQueue.Storage;

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
        var result = await _store.EnqueueAsync(ToNewJob(job, payload, options), cancellationToken).ConfigureAwait(false);
        return result.Id;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<JobId>> EnqueueManyAsync(IReadOnlyList<JobRequest> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var newJobs = new NewJob[jobs.Count];
        for (var i = 0; i < newJobs.Length; i++)
        {
            var request = jobs[i];
            newJobs[i] = ToNewJob(request.Job, request.Payload, request.Options);
        }

        var results = await _store.EnqueueManyAsync(newJobs, cancellationToken).ConfigureAwait(false);
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

    private NewJob ToNewJob(JobDefinition job, ReadOnlyMemory<byte> payload, JobOptions? options)
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
        };
        newJob.Validate(_store.MaxPayloadBytes, nameof(options));
        return newJob;
    }
}
