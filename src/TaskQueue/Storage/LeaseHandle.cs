namespace TaskQueue.Storage;

/// <summary>Names one attempt's lease.</summary>
public readonly record struct LeaseHandle(string Queue, JobId Id, string LeaseToken);
