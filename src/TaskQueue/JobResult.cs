using System.ComponentModel;
using TaskQueue.Storage;

namespace TaskQueue;

/// <summary>
/// What <c>Jobs.X.GetResultAsync(id)</c> found: the job's state and, once it succeeded, its typed result.
/// Reading <see cref="Value"/> before then throws an exception naming the job, the id and the state.
/// </summary>
/// <typeparam name="T">The job method's result type (the <c>T</c> of <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>).</typeparam>
public sealed class JobResult<T>
{
    private readonly T _value;

    private JobResult(string jobName, string queue, JobId id, JobState? state, T value, string? lastError)
    {
        JobName = jobName;
        Queue = queue;
        Id = id;
        State = state;
        _value = value;
        LastError = lastError;
    }

    /// <summary>The stored job name.</summary>
    public string JobName { get; }

    /// <summary>The queue that was asked.</summary>
    public string Queue { get; }

    /// <summary>The job id that was asked for.</summary>
    public JobId Id { get; }

    /// <summary>The job's state; null when the store has no such job (never enqueued, or its retention expired).</summary>
    public JobState? State { get; }

    /// <summary>True when the store knows the job.</summary>
    public bool Exists => State is not null;

    /// <summary>True when the job succeeded and <see cref="Value"/> holds its result.</summary>
    public bool Succeeded => State == JobState.Succeeded;

    /// <summary>The last error of a failed attempt, or null.</summary>
    public string? LastError { get; }

    /// <summary>The result of a succeeded job.</summary>
    /// <exception cref="InvalidOperationException">The job does not exist or has not succeeded (the message says which).</exception>
    public T Value => Succeeded ? _value : throw new InvalidOperationException(
        State is { } state
            ? $"Job '{JobName}' {Id} in queue '{Queue}' has no result: it is {state}, not Succeeded."
            : $"Job '{JobName}' {Id} was not found in queue '{Queue}': it was never enqueued there, or its result expired.");

    /// <summary>Gets the result when the job succeeded.</summary>
    public bool TryGetValue(out T value)
    {
        value = _value;
        return Succeeded;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{JobName} {Id}: {(State is { } s ? s.ToString() : "not found")}";

    /// <summary>Builds the result of a lookup; generated <c>GetResultAsync</c> calls this.</summary>
    /// <exception cref="InvalidOperationException">The id belongs to a job with another name.</exception>
    /// <exception cref="JobPayloadException">The job succeeded but its stored result does not fit <typeparamref name="T"/>.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static JobResult<T> From(JobDefinition job, string queue, JobId id, JobInfo? info, Func<ReadOnlyMemory<byte>, T> read)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(read);
        if (info is null)
        {
            return new JobResult<T>(job.Name, queue, id, null, default!, null);
        }

        if (!string.Equals(info.Name, job.Name, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Job {id} in queue '{queue}' is a '{info.Name}' job, not '{job.Name}'.");
        }

        if (info.State != JobState.Succeeded)
        {
            return new JobResult<T>(job.Name, queue, id, info.State, default!, info.LastError);
        }

        // Jobs with a result always store its JSON (even "null"); none means the store lost it.
        var bytes = info.Result ?? throw new JobPayloadException(job.Name, "result", "$", "the job succeeded but no result is stored");
        return new JobResult<T>(job.Name, queue, id, info.State, read(bytes), info.LastError);
    }
}
