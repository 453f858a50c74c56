namespace TaskQueue;

/// <summary>
/// A job's stored arguments (or result) could not be read or written. The worker never retries
/// such a job: it goes straight to the dead letters with this message.
/// </summary>
public sealed class JobPayloadException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="jobName">The job whose payload failed.</param>
    /// <param name="parameter">The parameter (or "result") being read.</param>
    /// <param name="jsonPath">Where in the JSON it failed, e.g. <c>$.order.lines[2].sku</c>.</param>
    /// <param name="reason">What was wrong.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public JobPayloadException(string jobName, string? parameter, string jsonPath, string reason, Exception? inner = null)
        : base(BuildMessage(jobName, parameter, jsonPath, reason), inner)
    {
        JobName = jobName;
        Parameter = parameter;
        JsonPath = jsonPath;
    }

    /// <summary>The job whose payload failed.</summary>
    public string JobName { get; }

    /// <summary>The parameter being read, or null when the failure is not in one.</summary>
    public string? Parameter { get; }

    /// <summary>The JSON path of the failure.</summary>
    public string JsonPath { get; }

    private static string BuildMessage(string jobName, string? parameter, string jsonPath, string reason)
        => parameter is null
            ? $"Job '{jobName}': payload at {jsonPath}: {reason}"
            : $"Job '{jobName}', parameter '{parameter}': payload at {jsonPath}: {reason}";
}
