using System.Globalization;
using System.Text;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

/// <summary>
/// Turns a job hash and its lease (field names and lease format as in <c>Scripts/_prelude.lua</c>) into a
/// <see cref="JobInfo"/>. Fetch does not write the hash: a running job's hash still says 'pending' with the attempt
/// count before this attempt, and its lease in the queue's leases hash makes it active with the lease's attempt.
/// Never throws on what it reads: a malformed field (written by hand or by another tool) reads as its default, and
/// an unknown state as the caller's fallback with the problem in <see cref="JobInfo.LastError"/>, so one
/// bad hash cannot break a listing.
/// </summary>
internal static class JobHashReader
{
    /// <summary>The instants <see cref="DateTimeOffset.FromUnixTimeMilliseconds"/> accepts (years 1-9999).</summary>
    private const long MinInstantMs = -62_135_596_800_000;
    private const long MaxInstantMs = 253_402_300_799_999;

    /// <summary>The snapshot, or null when the hash is empty (the job does not exist).</summary>
    /// <param name="queue">The job's queue.</param>
    /// <param name="id">The job's id.</param>
    /// <param name="entries">The job hash.</param>
    /// <param name="lease">The job's value in the leases hash, or null when it is not running.</param>
    /// <param name="fallbackState">The state to report when the stored one is missing or unknown (where the job was found).</param>
    /// <param name="leaseDeadlineMs">The running job's score in the active set (its lease deadline, ms), or null.</param>
    public static JobInfo? Read(string queue, JobId id, HashEntry[] entries, RedisValue lease, JobState fallbackState, double? leaseDeadlineMs = null)
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

        var storedState = Text(fields, "state");
        var lastError = Text(fields, "err");
        if (State(storedState) is not { } state)
        {
            state = fallbackState;
            lastError ??= storedState is null ? "stored field 'state' is missing" : $"stored field 'state' has the invalid value '{storedState}'";
        }

        var attempt = Count(fields, "attempt");

        // A lease next to a finished state is a completion that happened between the two reads: the hash wins.
        LeaseParts? running = null;
        if (!lease.IsNull && state is JobState.Pending)
        {
            state = JobState.Active;
            running = ParseLease(lease.ToString());
            attempt = running?.Attempt ?? attempt;
        }

        var priority = Number(fields, "prio") is { } p and >= (long)Priority.Critical and <= (long)Priority.Low ? (Priority)p : Priority.Normal;

        return new JobInfo
        {
            Id = id,
            Name = Text(fields, "name") ?? string.Empty,
            Queue = queue,
            Priority = priority,
            State = state,
            Attempt = attempt,
            MaxRetries = Count(fields, "maxr"),
            Payload = fields.TryGetValue("payload", out var payload) ? (byte[])payload! ?? [] : [],
            EnqueuedAt = Instant(fields, "enq") ?? DateTimeOffset.UnixEpoch,
            DueAt = Instant(fields, "due"),
            FinishedAt = Instant(fields, "fin"),
            Result = fields.TryGetValue("result", out var result) && (byte[]?)result is { } bytes ? new ReadOnlyMemory<byte>(bytes) : (ReadOnlyMemory<byte>?)null,
            LastError = lastError,
            Progress = Text(fields, "progress") is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var progress) ? progress : null,
            IdempotencyKey = Text(fields, "idem") is { Length: > 0 } key ? key : null,
            Deferrals = Count(fields, "defer"),
            Errors = Errors(fields),
            WorkerId = running?.Worker,
            StartedAt = running?.StartedMs is { } started and >= MinInstantMs and <= MaxInstantMs ? DateTimeOffset.FromUnixTimeMilliseconds(started) : null,
            LeaseExpiresAt = running is not null && leaseDeadlineMs is { } deadline and >= MinInstantMs and <= MaxInstantMs ? DateTimeOffset.FromUnixTimeMilliseconds((long)deadline) : null,
        };
    }

    /// <summary>The kept errors of each attempt (fields <c>e:N</c> = <c>ms|error</c>), oldest attempt first.</summary>
    private static List<JobAttemptError> Errors(Dictionary<string, RedisValue> fields)
    {
        var errors = new List<JobAttemptError>();
        foreach (var (name, value) in fields)
        {
            if (!name.StartsWith("e:", StringComparison.Ordinal)
                || !int.TryParse(name.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
            {
                continue;
            }

            var text = value.ToString();
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            var at = bar > 0 && long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= MaxInstantMs
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : DateTimeOffset.UnixEpoch;
            errors.Add(new JobAttemptError(attempt, at, bar > 0 ? text[(bar + 1)..] : text));
        }

        errors.Sort(static (a, b) => a.Attempt.CompareTo(b.Attempt));
        return errors;
    }

    /// <summary>A lease value <c>token|attempt|prio|started|ilen|</c> + idempotency key (ilen chars) + worker id, or null when malformed.</summary>
    private static LeaseParts? ParseLease(string text)
    {
        var parts = text.Split('|', 6);
        if (parts.Length < 6
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt)
            || !int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var keyLength))
        {
            return null;
        }

        // The key's length is in bytes (Lua's #), so the worker id is found in the UTF-8 bytes.
        var rest = Encoding.UTF8.GetBytes(parts[5]);
        if (keyLength > rest.Length)
        {
            return null;
        }

        long? started = long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : null;
        return new LeaseParts(attempt, started, Encoding.UTF8.GetString(rest, keyLength, rest.Length - keyLength));
    }

    private sealed record LeaseParts(int Attempt, long? StartedMs, string Worker);

    private static JobState? State(string? state) => state switch
    {
        "pending" => JobState.Pending,
        "scheduled" or "retry" => JobState.Scheduled,
        "succeeded" => JobState.Succeeded,
        "dead" => JobState.Dead,
        "cancelled" => JobState.Cancelled,
        _ => null,
    };

    private static string? Text(Dictionary<string, RedisValue> fields, string name)
        => fields.TryGetValue(name, out var value) ? value.ToString() : null;

    private static long? Number(Dictionary<string, RedisValue> fields, string name)
        => fields.TryGetValue(name, out var value) && value.TryParse(out long number) ? number : null;

    /// <summary>A count (attempts, retries, deferrals), 0 when missing or not a non-negative int.</summary>
    private static int Count(Dictionary<string, RedisValue> fields, string name)
        => Number(fields, name) is { } n and >= 0 and <= int.MaxValue ? (int)n : 0;

    private static DateTimeOffset? Instant(Dictionary<string, RedisValue> fields, string name)
        => Number(fields, name) is { } ms and >= MinInstantMs and <= MaxInstantMs ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
