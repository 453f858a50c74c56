using TaskQueue.Scheduling;

namespace TaskQueue;

/// <summary>
/// Declares a recurring schedule of a <see cref="JobAttribute"/> method with fixed arguments, e.g.
/// <c>[Recurring("nightly-report", "0 3 * * *", "eu", TimeZone = "Europe/Berlin")]</c>. Hosts register it at start-up
/// and retire it once no declaration names it. An invalid cron expression or unknown time zone is a build error (TQ0022, TQ0023).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class RecurringAttribute : Attribute
{
    /// <summary>Declares the schedule.</summary>
    /// <param name="name">The schedule's unique name.</param>
    /// <param name="cron">A cron expression: 5 fields, or 6 with seconds first.</param>
    /// <param name="arguments">The job's arguments, in parameter order (constants).</param>
    public RecurringAttribute(string name, string cron, params object?[] arguments)
    {
        Name = name;
        Cron = cron;
        Arguments = arguments;
    }

    /// <summary>The schedule's unique name.</summary>
    public string Name { get; }

    /// <summary>The cron expression.</summary>
    public string Cron { get; }

    /// <summary>The job's arguments.</summary>
    public IReadOnlyList<object?> Arguments { get; }

    /// <summary>The time zone the cron expression is read in (IANA or Windows id); UTC by default.</summary>
    public string? TimeZone { get; set; }

    /// <summary>What happens to occurrences missed while no scheduler ran.</summary>
    public MisfirePolicy Misfire { get; set; } = MisfirePolicy.RunOnce;

    /// <summary>With <see cref="MisfirePolicy.RunAll"/>: the most missed occurrences run in one catch-up.</summary>
    public int MaxCatchUp { get; set; } = 10;

    /// <summary>Whether an occurrence runs while the previous one has not finished.</summary>
    public OverlapPolicy Overlap { get; set; } = OverlapPolicy.Allow;
}
