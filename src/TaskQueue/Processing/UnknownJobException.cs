namespace TaskQueue.Processing;

/// <summary>A stored job names a job that no registered dispatch table knows (renamed, removed, or a worker of another app).</summary>
public sealed class UnknownJobException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnknownJobException(string jobName)
        : base($"No job named '{jobName}' is registered with this worker. Register the assembly's jobs (services.Add<Assembly>Jobs()) or check for a renamed job.")
    {
        JobName = jobName;
    }

    /// <summary>The unknown name.</summary>
    public string JobName { get; }
}
