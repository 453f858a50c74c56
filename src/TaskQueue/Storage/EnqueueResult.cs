namespace TaskQueue.Storage;

/// <summary>The outcome of an enqueue.</summary>
/// <param name="Id">The new job's id, or the first job's id when the idempotency key was taken.</param>
/// <param name="Created">False when the idempotency key was taken and nothing was stored.</param>
public readonly record struct EnqueueResult(JobId Id, bool Created);
