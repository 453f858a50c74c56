using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using TaskQueue.Storage;

namespace TaskQueue.Redis;

/// <summary>
/// Reads the leased jobs from the one packed string <c>fetch.lua</c> returns (see the script's header), straight
/// from the reply's bytes: small payloads are slices of the reply and job names are shared strings, so a fetched job
/// costs its id and lease token strings and the <see cref="LeasedJob"/> itself.
/// </summary>
internal sealed class FetchReplyParser
{
    /// <summary>Distinct job names kept; past this (only with unexpected names) names are allocated per job.</summary>
    private const int MaxCachedNames = 1024;

    /// <summary>
    /// Payloads up to this size stay slices of the reply; larger ones are copied, so a long-running job never keeps
    /// its whole batch's large payloads alive (what a slice pins is at most a batch of small jobs).
    /// </summary>
    private const int MaxSharedPayloadBytes = 1024;

    private const byte Separator = (byte)'\n';

    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>Parses the jobs <c>fetch.lua</c> leased from queue <paramref name="queue"/>.</summary>
    /// <exception cref="InvalidOperationException">The reply is not in the format of <c>fetch.lua</c>.</exception>
    public IReadOnlyList<LeasedJob> Parse(string queue, ReadOnlyMemory<byte> reply)
    {
        if (reply.IsEmpty)
        {
            return [];
        }

        // Two passes over the length prefixes: the first only counts, so the result is one exact array.
        var jobs = new LeasedJob[Count(queue, reply.Span)];
        var position = 0;
        for (var j = 0; j < jobs.Length; j++)
        {
            var length = NextLength(queue, reply.Span, ref position);
            jobs[j] = ParseJob(queue, reply.Slice(position, length));
            position += length;
        }

        return jobs;
    }

    private static int Count(string queue, ReadOnlySpan<byte> reply)
    {
        var count = 0;
        var position = 0;
        while (position < reply.Length)
        {
            var length = NextLength(queue, reply, ref position);
            position += length;
            count++;
        }

        return count;
    }

    /// <summary>Reads one job's length prefix and checks that the job fits in the reply.</summary>
    private static int NextLength(string queue, ReadOnlySpan<byte> reply, ref int position)
    {
        var length = Number(reply, ref position, queue, "job length");
        if (length <= 0 || length > reply.Length - position)
        {
            throw Malformed(queue, "job length", length.ToString(CultureInfo.InvariantCulture));
        }

        return (int)length;
    }

    private LeasedJob ParseJob(string queue, ReadOnlyMemory<byte> packed)
    {
        var span = packed.Span;
        var position = 0;
        var id = Field(span, ref position, queue);
        var name = Field(span, ref position, queue);
        var priority = Number(span, ref position, queue, "priority");
        var attempt = Number(span, ref position, queue, "attempt");
        var maxRetries = Number(span, ref position, queue, "max retries");
        var timeout = Field(span, ref position, queue);
        var enqueuedMs = Number(span, ref position, queue, "enqueued");
        var token = Field(span, ref position, queue);
        var traceLength = Number(span, ref position, queue, "traceparent length");
        if (traceLength < 0 || traceLength > span.Length - position)
        {
            throw Malformed(queue, "traceparent length", traceLength.ToString(CultureInfo.InvariantCulture));
        }

        var trace = span.Slice(position, (int)traceLength);
        position += (int)traceLength;
        var idText = Encoding.ASCII.GetString(id);
        if (!JobId.TryParse(idText, out var jobId))
        {
            throw Malformed(queue, "id", idText);
        }

        return new LeasedJob
        {
            Id = jobId,
            Name = NameOf(name),
            Queue = queue,
            Payload = packed.Length - position <= MaxSharedPayloadBytes ? packed[position..] : packed[position..].ToArray(),
            Priority = (Priority)priority,
            Attempt = (int)attempt,
            MaxRetries = (int)maxRetries,
            Timeout = timeout.IsEmpty ? null : TimeSpan.FromMilliseconds(ParseNumber(timeout, queue, "timeout")),
            EnqueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(enqueuedMs),
            LeaseToken = Encoding.ASCII.GetString(token),
            TraceParent = trace.IsEmpty ? null : Encoding.UTF8.GetString(trace),
        };
    }

    /// <summary>The shared string for a job name (names are few and repeat on every job).</summary>
    private string NameOf(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= JobNames.MaxLength)
        {
            Span<char> chars = stackalloc char[JobNames.MaxLength];
            var length = Encoding.UTF8.GetChars(utf8, chars);
            var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars[..length], out var cached))
            {
                return cached;
            }

            var name = new string(chars[..length]);
            if (_names.Count < MaxCachedNames)
            {
                _names.TryAdd(name, name);
            }

            return name;
        }

        return Encoding.UTF8.GetString(utf8);
    }

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> span, ref int position, string queue)
    {
        var length = span[position..].IndexOf(Separator);
        if (length < 0)
        {
            throw Malformed(queue, "field", Encoding.UTF8.GetString(span[position..]));
        }

        var field = span.Slice(position, length);
        position += length + 1;
        return field;
    }

    private static long Number(ReadOnlySpan<byte> span, ref int position, string queue, string field)
        => ParseNumber(Field(span, ref position, queue), queue, field);

    private static long ParseNumber(ReadOnlySpan<byte> text, string queue, string field)
        => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Malformed(queue, field, Encoding.UTF8.GetString(text));

    private static InvalidOperationException Malformed(string queue, string field, string value)
        => new($"Redis job store: the fetch reply for queue '{queue}' has an invalid {field} '{value}' (scripts from another version of TaskQueue.Redis?).");
}
