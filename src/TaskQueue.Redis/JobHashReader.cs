using System.Globalization;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

/// <summary>
/// Turns a job hash and its lease (field names and lease format as in <c>Scripts/_prelude.lua</c>) into a
/// <see cref="JobInfo"/>. Fetch does not write the hash: a running job's hash still says 'pending' with the attempt
/// count before this attempt, and its lease in the queue's leases hash makes it active with the lease's attempt.
/// </summary>
internal static class JobHashReader
{
    /// <summary>The snapshot, or null when the hash is empty (the job does not exist).</summary>
    /// <param name="queue">The job's queue.</param>
    /// <param name="id">The job's id.</param>
    /// <param name="entries">The job hash.</param>
    /// <param name="lease">The job's value in the leases hash, or null when it is not running.</param>
    public static JobInfo? Read(string queue, JobId id, HashEntry[] entries, RedisValue lease)
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

        var state = State(Text(fields, "state"));
        var attempt = (int)Number(fields, "attempt").GetValueOrDefault();

        // A lease next to a finished state is a completion that happened between the two reads: the hash wins.
        if (!lease.IsNull && state is JobState.Pending or JobState.Active)
        {
            state = JobState.Active;
            attempt = LeaseAttempt(queue, id, lease);
        }

        return new JobInfo
        {
            Id = id,
            Name = Text(fields, "name") ?? string.Empty,
            Queue = queue,
            Priority = (Priority)(int)Number(fields, "prio").GetValueOrDefault((int)Priority.Normal),
            State = state,
            Attempt = attempt,
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

    /// <summary>The attempt of a lease value <c>token|attempt|prio|started|ilen|...</c>.</summary>
    private static int LeaseAttempt(string queue, JobId id, RedisValue lease)
    {
        var text = lease.ToString();
        var start = text.IndexOf('|', StringComparison.Ordinal) + 1;
        var end = start > 0 ? text.IndexOf('|', start) : -1;
        if (end < 0 || !int.TryParse(text.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
        {
            throw new InvalidOperationException($"Redis job store: the lease of job {id} in queue '{queue}' is '{text}', not 'token|attempt|...' (written by a newer version?).");
        }

        return attempt;
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
