namespace TaskQueue.Processing;

/// <summary>A job's definition, the dispatch table that knows it, and the code that runs it.</summary>
/// <param name="Definition">The job's name and defaults.</param>
/// <param name="Registry">The generated dispatch table that knows the job.</param>
/// <param name="Invoker">Runs the job: the definition's own invoker, or a call to <paramref name="Registry"/> by name.</param>
public readonly record struct JobRegistration(JobDefinition Definition, IJobRegistry Registry, JobInvoker Invoker);
