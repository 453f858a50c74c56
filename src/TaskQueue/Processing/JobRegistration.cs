namespace TaskQueue.Processing;

/// <summary>A job's definition and the dispatch table that runs it.</summary>
/// <param name="Definition">The job's name and defaults.</param>
/// <param name="Registry">The generated dispatch table that knows the job.</param>
public readonly record struct JobRegistration(JobDefinition Definition, IJobRegistry Registry);
