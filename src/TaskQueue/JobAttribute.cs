namespace TaskQueue;

/// <summary>
/// Marks a method as a background job. At compile time the TaskQueue source generator emits
/// a typed proxy (<c>Jobs.&lt;Name&gt;.EnqueueAsync(...)</c>), a reflection-free serializer for its
/// arguments and an entry in the assembly's dispatch table.
/// </summary>
/// <remarks>
/// Time spans are written as constant strings in the invariant "c" format (<c>"00:05:00"</c>,
/// <c>"1.00:00:00"</c>) because attribute arguments must be compile-time constants; the
/// analyzers reject a value that does not parse.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class JobAttribute : Attribute
{
    /// <summary>The stored job name; defaults to the method name. Must be unique in the compilation.</summary>
    public string? Name { get; set; }

    /// <summary>The queue the job goes to unless <see cref="JobOptions.Queue"/> overrides it.</summary>
    public string Queue { get; set; } = JobDefaults.Queue;

    /// <summary>The priority unless <see cref="JobOptions.Priority"/> overrides it.</summary>
    public Priority Priority { get; set; } = Priority.Normal;

    /// <summary>How many times a failed job is retried before it becomes a dead letter (0 = never retried).</summary>
    public int MaxRetries { get; set; } = JobDefaults.MaxRetries;

    /// <summary>How long one attempt may run before its cancellation token fires, e.g. <c>"00:05:00"</c>; none by default.</summary>
    public string? Timeout { get; set; }

    /// <summary>How the retry delay grows.</summary>
    public RetryStrategy Retry { get; set; } = RetryStrategy.ExponentialJitter;

    /// <summary>The delay before the first retry, e.g. <c>"00:00:01"</c>.</summary>
    public string RetryBaseDelay { get; set; } = JobDefaults.RetryBaseDelayText;

    /// <summary>The longest delay between two attempts, e.g. <c>"01:00:00"</c>.</summary>
    public string RetryMaxDelay { get; set; } = JobDefaults.RetryMaxDelayText;

    /// <summary>
    /// Runs the job (which must take no arguments) on this cron expression, e.g. <c>"*/5 * * * *"</c> (6 fields: seconds
    /// first), as a recurring schedule named after the job. For arguments or several schedules use <see cref="RecurringAttribute"/>.
    /// </summary>
    public string? Cron { get; set; }

    /// <summary>The time zone <see cref="Cron"/> is read in (IANA or Windows id); UTC by default.</summary>
    public string? TimeZone { get; set; }
}
