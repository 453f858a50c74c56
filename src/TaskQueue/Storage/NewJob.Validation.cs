namespace TaskQueue.Storage;

/// <summary>The one rule for what a store accepts: the client and every store call <see cref="Validate"/>.</summary>
public sealed partial record NewJob
{
    /// <summary>The longest idempotency key, in characters.</summary>
    public const int MaxIdempotencyKeyLength = 512;

    /// <summary>The longest trace context (<see cref="TraceParent"/>), in characters.</summary>
    public const int MaxTraceParentLength = 512;

    /// <summary>
    /// The default largest <see cref="Payload"/>, in bytes (1 MiB), of both stores' <c>MaxPayloadBytes</c>. A payload
    /// is arguments, not data: larger blobs belong in a blob store with their key in the payload. Every byte of a
    /// payload is held in Redis memory, copied into each fetch reply and parsed by a worker, so one 20 MB argument
    /// stalls the Redis event loop and every worker fetching from that queue; 1 MiB is far above real arguments
    /// (ids, small records: typically under 1 KiB) and well below Redis's 512 MB string limit.
    /// </summary>
    public const int DefaultMaxPayloadBytes = 1024 * 1024;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the job, the field and the value when a store cannot keep this job.
    /// Nothing is stored when it throws.
    /// </summary>
    /// <param name="maxPayloadBytes">The store's largest payload in bytes (its <c>MaxPayloadBytes</c>, <see cref="IJobStore.MaxPayloadBytes"/>).</param>
    /// <param name="paramName">The parameter the job came in (e.g. <c>jobs[3]</c>), for the exception.</param>
    /// <exception cref="ArgumentException">A field is invalid or the payload is larger than <paramref name="maxPayloadBytes"/>.</exception>
    public void Validate(int maxPayloadBytes, string paramName = "job")
    {
        if (FindProblem(maxPayloadBytes) is { } problem)
        {
            throw Invalid(paramName, problem);
        }
    }

    /// <summary>
    /// <see cref="Validate"/> for every job of a batch; the exception names the bad job's position (<c>jobs[3]</c>).
    /// Nothing is allocated for valid jobs: this runs per job on the bulk enqueue path.
    /// </summary>
    /// <param name="jobs">The batch.</param>
    /// <param name="maxPayloadBytes">The store's largest payload in bytes.</param>
    /// <param name="paramName">The parameter the batch came in.</param>
    /// <exception cref="ArgumentNullException">The batch or one of its jobs is null.</exception>
    /// <exception cref="ArgumentException">A job is invalid.</exception>
    public static void ValidateAll(IReadOnlyList<NewJob> jobs, int maxPayloadBytes, string paramName = "jobs")
    {
        ArgumentNullException.ThrowIfNull(jobs, paramName);
        for (var i = 0; i < jobs.Count; i++)
        {
            if (jobs[i] is not { } job)
            {
                throw new ArgumentNullException($"{paramName}[{i}]");
            }

            if (job.FindProblem(maxPayloadBytes) is { } problem)
            {
                throw Invalid($"{paramName}[{i}]", problem);
            }
        }
    }

    /// <summary>What makes this job unstorable (naming the job, the field and the value), or null.</summary>
    private string? FindProblem(int maxPayloadBytes)
    {
        if (!JobNames.IsValidJobName(Name))
        {
            return $"Job {Id}: Name '{Name}' is not a valid job name: use 1 to {JobNames.MaxLength} characters of A-Z, a-z, 0-9, '-', '_', '.' or ':'.";
        }

        if (Id.IsEmpty)
        {
            return $"Job '{Name}': Id is empty; use JobId.New().";
        }

        if (!JobNames.IsValidQueueName(Queue))
        {
            return $"Job '{Name}' ({Id}): Queue '{Queue}' is not a valid queue name: use 1 to {JobNames.MaxLength} characters of A-Z, a-z, 0-9, '-', '_' or '.'.";
        }

        if (Payload.Length > maxPayloadBytes)
        {
            return $"Job '{Name}' ({Id}): Payload is {Payload.Length} bytes, more than the store's limit of {maxPayloadBytes} bytes (MaxPayloadBytes); pass large data by reference (e.g. a blob key).";
        }

        if (!Enum.IsDefined(Priority))
        {
            return $"Job '{Name}' ({Id}): Priority {(int)Priority} is not a Priority (Critical, High, Normal, Low).";
        }

        if (MaxRetries < 0)
        {
            return $"Job '{Name}' ({Id}): MaxRetries must not be negative, but was {MaxRetries}.";
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            return $"Job '{Name}' ({Id}): Timeout must be positive, but was {timeout}.";
        }

        if (RunAt is not null && Delay is not null)
        {
            return $"Job '{Name}' ({Id}): set RunAt or Delay, not both (RunAt={RunAt:O}, Delay={Delay}).";
        }

        if (Delay is { } delay && delay < TimeSpan.Zero)
        {
            return $"Job '{Name}' ({Id}): Delay must not be negative, but was {delay}.";
        }

        if (TraceParent is { } trace && !IsValidTraceParent(trace))
        {
            return $"Job '{Name}' ({Id}): TraceParent '{trace}' is not a trace context: use at most {MaxTraceParentLength} printable ASCII characters.";
        }

        if (IdempotencyKey is { } key)
        {
            if (key.Length is 0 or > MaxIdempotencyKeyLength)
            {
                return $"Job '{Name}' ({Id}): IdempotencyKey must be 1 to {MaxIdempotencyKeyLength} characters, but was {key.Length}.";
            }

            if (!UniqueUntilFinished && IdempotencyTtl <= TimeSpan.Zero)
            {
                return $"Job '{Name}' ({Id}): IdempotencyTtl must be positive, but was {IdempotencyTtl}.";
            }
        }

        return null;
    }

    /// <summary>A trace context is printable ASCII (W3C traceparent and hierarchical ids alike): the stores frame it by length.</summary>
    private static bool IsValidTraceParent(string value)
    {
        if (value.Length > MaxTraceParentLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static ArgumentException Invalid(string paramName, string message) => new(message, paramName);
}
