namespace TaskQueue.Processing;

/// <summary>
/// One assembly's dispatch table, emitted by the source generator. The worker only runs names some registry
/// knows: no type names in storage, no reflection. Generated definitions carry their <see cref="JobDefinition.Invoker"/>,
/// which the worker calls directly; <see cref="InvokeAsync"/> (a <c>switch</c> on the name) serves direct callers
/// and hand-written registries whose definitions have none.
/// </summary>
public interface IJobRegistry
{
    /// <summary>Every job of the assembly.</summary>
    IReadOnlyList<JobDefinition> Jobs { get; }

    /// <summary>
    /// Reads the arguments from <paramref name="payload"/>, calls the job method and returns its
    /// result as UTF-8 JSON (null for jobs that return nothing).
    /// </summary>
    /// <exception cref="JobPayloadException">The payload does not fit the job's parameters.</exception>
    /// <exception cref="UnknownJobException">No job of this registry has that name.</exception>
    ValueTask<byte[]?> InvokeAsync(string name, ReadOnlyMemory<byte> payload, JobContext context);
}
