using System.ComponentModel;
using TaskQueue.Processing;

namespace TaskQueue;

/// <summary>
/// What the generator knows about one <see cref="JobAttribute"/> method: its stored name and
/// defaults. Generated proxies pass it to <see cref="Client.IJobClient"/>; the worker reads it from the dispatch table.
/// </summary>
public sealed class JobDefinition
{
    /// <summary>Creates a definition; generated code calls this once per job.</summary>
    /// <exception cref="ArgumentException">The name or queue is not usable in storage keys.</exception>
    public JobDefinition(string name, string queue, Priority priority, int maxRetries, TimeSpan? timeout, RetryPolicy retry, bool requiresScope)
    {
        if (!JobNames.IsValidJobName(name))
        {
            throw new ArgumentException($"Job name '{name}' is not valid: use 1 to {JobNames.MaxLength} characters of A-Z, a-z, 0-9, '-', '_', '.' or ':'.", nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"Job '{name}': the timeout must be positive.");
        }

        Name = name;
        Queue = JobNames.ValidateQueueName(queue, nameof(queue));
        Priority = priority;
        MaxRetries = maxRetries;
        Timeout = timeout;
        Retry = retry ?? throw new ArgumentNullException(nameof(retry));
        RequiresScope = requiresScope;
    }

    /// <summary>The stored job name.</summary>
    public string Name { get; }

    /// <summary>The default queue.</summary>
    public string Queue { get; }

    /// <summary>The default priority.</summary>
    public Priority Priority { get; }

    /// <summary>Retries before the job becomes a dead letter.</summary>
    public int MaxRetries { get; }

    /// <summary>The default per-attempt timeout, or null for none.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>The backoff between attempts.</summary>
    public RetryPolicy Retry { get; }

    /// <summary>True for instance methods: the worker creates a DI scope per job to resolve the declaring type.</summary>
    public bool RequiresScope { get; }

    /// <summary>
    /// Runs the job; generated definitions set it so the worker's one lookup by name finds the code to run. When null
    /// (hand-written registries), the worker calls <see cref="IJobRegistry.InvokeAsync"/> with the name instead.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public JobInvoker? Invoker { get; init; }

    /// <summary>
    /// The JSON Schema (draft 2020-12) of the job's arguments payload, emitted by the generator: one property per
    /// serialized parameter, with types, required parameters (those without a default), nullability, nested payload
    /// records, enums (their member names), arrays and dictionaries. It describes what the generated serializer writes;
    /// every payload it accepts is read by the job's deserializer. Null for hand-written definitions.
    /// </summary>
    public string? ArgumentsSchema { get; init; }

    /// <summary>
    /// Reads a payload with the job's generated deserializer (the one the worker runs) and throws
    /// <see cref="JobPayloadException"/>, naming the parameter and the JSON path, when it does not fit the parameters.
    /// Null for hand-written definitions.
    /// </summary>
    public Action<ReadOnlyMemory<byte>>? ArgumentsValidator { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
