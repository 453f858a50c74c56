using System.Globalization;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

/// <summary>Turns a job hash (field names as in <c>Scripts/_prelude.lua</c>) into a <see cref="JobInfo"/>.</summary>
internal static class JobHashReader
{
    /// <summary>The snapshot, or null when the hash is empty (the job does not exist).</summary>
    public static JobInfo? Read(string queue, JobId id, HashEntry[] entries)
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

        return new JobInfo
        {
            Id = id,
            Name = Text(fields, "name") ?? string.Empty,
            Queue = queue,
            Priority = (Priority)(int)Number(fields, "prio").GetValueOrDefault((int)Priority.Normal),
            State = State(Text(fields, "state")),
            Attempt = (int)Number(fields, "attempt").GetValueOrDefault(),
            MaxRetries = (int)Number(fields, "maxr").GetValueOrDefault(),
            Payload = fields.TryGetValue("payload", out var payload) ? (byte[])payload! ?? [] : [],
            EnqueuedAt = Instant(fields, "enq") ?? DateTimeOffset.UnixEpoch,
            DueAt = Instant(fields, "due"),
            FinishedAt = Instant(fields, "fin"),
            Result = fields.TryGetValue("result", out var result) && (byte[]?)result is { } bytes ? new ReadOnlyMemory<byte>(bytes) : (ReadOnlyMemory<byte>?)null,
            LastError = Text(fields, "err"),
            Progress = Text(fields, "progress") is { } progress ? double.Parse(progress, CultureInfo.InvariantCulture) : null,
            IdempotencyKey = Text(fields, "idem") is { Length: > 0 } key ? key : null,
        };
    }

    private static JobState State(string? state) => state switch
    {
        "pending" => JobState.Pending,
        "scheduled" or "retry" => JobState.Scheduled,
        "active" => JobState.Active,
        "succeeded" => JobState.Succeeded,
        "dead" => JobState.Dead,
        "cancelled" => JobState.Cancelled,
        _ => throw new InvalidOperationException($"Redis job store: stored job state '{state}' is unknown (written by a newer version?)."),
    };

    private static string? Text(Dictionary<string, RedisValue> fields, string name)
        => fields.TryGetValue(name, out var value) ? value.ToString() : null;

    private static long? Number(Dictionary<string, RedisValue> fields, string name)
        => fields.TryGetValue(name, out var value) && value.TryParse(out long number) ? number : null;

    private static DateTimeOffset? Instant(Dictionary<string, RedisValue> fields, string name)
        => Number(fields, name) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
