using Cronos;

namespace TaskQueue.Scheduling;

/// <summary>
/// A parsed cron expression in its time zone (Cronos). Occurrences are computed in the zone, so daylight saving time
/// follows Cronos's rules: a local time skipped by spring-forward runs at the first instant after the gap, and a local
/// time repeated by fall-back runs once (at its first instance), unless the expression's hour field is an interval or
/// a wildcard, which runs in both instances.
/// </summary>
internal sealed class CronSchedule
{
    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        _zone = zone;
    }

    /// <summary>True when the expression has a seconds field.</summary>
    public bool HasSeconds { get; private init; }

    /// <summary>Parses 5 fields (minutes) or 6 (seconds first).</summary>
    /// <exception cref="ArgumentException">The expression or time zone is invalid; the message names the schedule.</exception>
    public static CronSchedule Parse(string scheduleName, string? cron, string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            throw new ArgumentException($"Schedule '{scheduleName}': the cron expression is empty.", nameof(cron));
        }

        var fields = cron.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron, format);
        }
        catch (CronFormatException ex)
        {
            throw new ArgumentException($"Schedule '{scheduleName}': cron expression '{cron}' is invalid: {ex.Message}", nameof(cron), ex);
        }

        TimeZoneInfo zone;
        try
        {
            zone = string.IsNullOrEmpty(timeZone) || timeZone == "UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"Schedule '{scheduleName}': time zone '{timeZone}' is unknown on this system.", nameof(timeZone), ex);
        }

        return new CronSchedule(expression, zone) { HasSeconds = format == CronFormat.IncludeSeconds };
    }

    /// <summary>The first occurrence after <paramref name="from"/> (or at it when <paramref name="inclusive"/>), or null when none remains.</summary>
    public DateTimeOffset? Next(DateTimeOffset from, bool inclusive = false)
        => _expression.GetNextOccurrence(from, _zone, inclusive) is { } next ? next.ToUniversalTime() : null;
}
