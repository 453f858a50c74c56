using System.Globalization;
using StackExchange.Redis;
using TaskQueue.Scheduling;

namespace TaskQueue.Redis;

/// <summary>
/// The fields of a recurring schedule's hash (written by <c>schedule_upsert.lua</c>, advanced by <c>schedule_advance.lua</c>):
/// cron tz job prio maxr timeout payload misfire catchup overlap decl, and next paused last_due last_id skipped.
/// </summary>
internal static class RedisScheduleHash
{
    /// <summary>The definition as field/value pairs, cron and tz first (the upsert script compares them); '' deletes a field.</summary>
    public static RedisValue[] DefinitionArgs(RecurringSchedule schedule, long nextDueMs) =>
    [
        schedule.Name,
        nextDueMs,
        "cron", schedule.Cron,
        "tz", schedule.TimeZone,
        "job", schedule.JobName,
        "prio", (int)schedule.Priority,
        "maxr", schedule.MaxRetries,
        "timeout", schedule.Timeout is { } t ? (long)Math.Ceiling(t.TotalMilliseconds) : RedisValue.EmptyString,
        "payload", schedule.Payload,
        "misfire", (int)schedule.Misfire,
        "catchup", schedule.MaxCatchUp,
        "overlap", (int)schedule.Overlap,
        "decl", schedule.DeclaredBy ?? RedisValue.EmptyString,
    ];

    /// <summary>Reads a flat field/value list (HGETALL as a script returns it), or null when it is empty.</summary>
    public static ScheduleState? Read(string name, string queue, RedisResult[] flat)
    {
        if (flat.Length == 0)
        {
            return null;
        }

        var fields = new Dictionary<string, RedisValue>(flat.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            fields[flat[i].ToString()] = (RedisValue)flat[i + 1];
        }

        return Read(name, queue, fields);
    }

    /// <summary>Reads HGETALL entries, or null when there are none.</summary>
    public static ScheduleState? Read(string name, string queue, HashEntry[] entries)
    {
        if (entries.Length == 0)
        {
            return null;
        }

        var fields = new Dictionary<string, RedisValue>(entries.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            fields[entry.Name.ToString()] = entry.Value;
        }

        return Read(name, queue, fields);
    }

    private static ScheduleState Read(string name, string queue, Dictionary<string, RedisValue> f)
    {
        var paused = Text(f, "paused") == "1";
        var schedule = new RecurringSchedule
        {
            Name = name,
            Cron = Text(f, "cron") ?? string.Empty,
            TimeZone = Text(f, "tz") ?? "UTC",
            JobName = Text(f, "job") ?? string.Empty,
            Queue = queue,
            Priority = (Priority)Math.Clamp(Long(f, "prio") ?? 2, 0, 3),
            MaxRetries = (int)(Long(f, "maxr") ?? JobDefaults.MaxRetries),
            Timeout = Long(f, "timeout") is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            Payload = f.TryGetValue("payload", out var payload) ? (byte[])payload! : "{}"u8.ToArray(),
            Misfire = (MisfirePolicy)(Long(f, "misfire") ?? 0),
            MaxCatchUp = (int)(Long(f, "catchup") ?? 10),
            Overlap = (OverlapPolicy)(Long(f, "overlap") ?? 0),
            DeclaredBy = Text(f, "decl") is { Length: > 0 } decl ? decl : null,
        };
        return new ScheduleState
        {
            Schedule = schedule,
            NextDueAt = paused ? null : Instant(Long(f, "next")),
            Paused = paused,
            LastDueAt = Instant(Long(f, "last_due")),
            LastJobId = JobId.TryParse(Text(f, "last_id"), out var id) ? id : null,
            Skipped = Long(f, "skipped") ?? 0,
        };
    }

    private static string? Text(Dictionary<string, RedisValue> f, string field)
        => f.TryGetValue(field, out var value) && !value.IsNull ? value.ToString() : null;

    private static long? Long(Dictionary<string, RedisValue> f, string field)
        => Text(f, field) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static DateTimeOffset? Instant(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}
