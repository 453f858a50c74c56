using TaskQueue.Storage;

namespace TaskQueue.Testing;

/// <summary>One job the code under test enqueued, as the store received it.</summary>
public sealed record EnqueuedJob
{
    /// <summary>The job's id.</summary>
    public required JobId Id { get; init; }

    /// <summary>The stored job name (the generated <c>Jobs.X.Definition.Name</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The queue.</summary>
    public required string Queue { get; init; }

    /// <summary>The priority.</summary>
    public required Priority Priority { get; init; }

    /// <summary>The arguments as UTF-8 JSON; read them typed with the generated <c>Jobs.X.Deserialize(job.Payload, out ...)</c>.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>When it may run at the earliest, or null for at once.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>Its idempotency key, or null.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>True when the store created it (false: an idempotency key or id was already taken).</summary>
    public required bool Created { get; init; }

    internal static EnqueuedJob From(NewJob job, EnqueueResult result, DateTimeOffset now) => new()
    {
        Id = result.Id,
        Name = job.Name,
        Queue = job.Queue,
        Priority = job.Priority,
        Payload = job.Payload,
        RunAt = job.RunAt ?? (job.Delay is { } delay ? now + delay : null),
        IdempotencyKey = job.IdempotencyKey,
        Created = result.Created,
    };
}
