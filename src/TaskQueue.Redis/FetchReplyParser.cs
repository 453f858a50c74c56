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

    /// <summary>Starts the trailer <c>fetch.lua</c> adds after the jobs when the queue ran empty (a length never starts with it).</summary>
    private const byte TrailerMark = (byte)'~';

    /// <summary>The longest per-attempt timeout accepted, in ms (10 million days: below <see cref="TimeSpan.MaxValue"/>).</summary>
    private const long MaxTimeoutMs = (long)(TimeSpan.TicksPerDay * 10_000_000 / TimeSpan.TicksPerMillisecond);

    /// <summary>The instants <see cref="DateTimeOffset.FromUnixTimeMilliseconds"/> accepts (years 1-9999).</summary>
    private const long MinInstantMs = -62_135_596_800_000;
    private const long MaxInstantMs = 253_402_300_799_999;

    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>
    /// Parses the jobs <c>fetch.lua</c> leased from queue <paramref name="queue"/>. A job whose fields do not parse
    /// (the script checked them, so only values out of range get here) does not cost the batch: it comes back in
    /// <paramref name="unreadable"/> as a dead-letter completion of its lease, naming the field and value, for the
    /// caller to record.
    /// </summary>
    /// <exception cref="InvalidOperationException">The reply's framing is not that of <c>fetch.lua</c> (another version of the scripts).</exception>
    /// <param name="queue">The queue fetched from.</param>
    /// <param name="reply">The script's reply.</param>
    /// <param name="unreadable">Dead-letter completions of the jobs that did not parse, or null.</param>
    /// <param name="drained">The reply's trailer when every ready list ran empty (fewer jobs than asked), else null.</param>
    public IReadOnlyList<LeasedJob> Parse(string queue, ReadOnlyMemory<byte> reply, out List<JobCompletion>? unreadable, out QueueLook? drained)
    {
        unreadable = null;
        drained = null;
        if (reply.IsEmpty)
        {
            return [];
        }

        // Two passes over the length prefixes: the first only counts, so the result is one exact array.
        var jobs = new LeasedJob[Count(queue, reply.Span, out var end)];
        if (end < reply.Length)
        {
            drained = Trailer(queue, reply.Span[end..]);
        }

        var parsed = 0;
        var position = 0;
        while (position < end)
        {
            var length = NextLength(queue, reply.Span, ref position);
            if (TryParseJob(queue, reply.Slice(position, length), out var job, out var failure))
            {
                jobs[parsed++] = job;
            }
            else if (failure is not null)
            {
                (unreadable ??= []).Add(failure);
            }

            position += length;
        }

        return parsed == jobs.Length ? jobs : jobs[..parsed];
    }

    /// <summary>Counts the jobs; <paramref name="end"/> is where they end (the trailer's start, or the reply's end).</summary>
    private static int Count(string queue, ReadOnlySpan<byte> reply, out int end)
    {
        var count = 0;
        var position = 0;
        while (position < reply.Length && reply[position] != TrailerMark)
        {
            var length = NextLength(queue, reply, ref position);
            position += length;
            count++;
        }

        end = position;
        return count;
    }

    /// <summary>Reads the trailer <c>~P:N</c>: P = 1 when paused, N = ms until the next due job (0 due now, -1 none).</summary>
    private static QueueLook Trailer(string queue, ReadOnlySpan<byte> trailer)
    {
        var colon = trailer.IndexOf((byte)':');
        if (colon != 2 || trailer[1] is not ((byte)'0' or (byte)'1') || !TryNumber(trailer[(colon + 1)..], -1, long.MaxValue, out var nextDueMs))
        {
            throw Malformed(queue, "trailer", Encoding.UTF8.GetString(trailer));
        }

        return new QueueLook(trailer[1] == (byte)'1', nextDueMs);
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

    /// <summary>
    /// Reads one job. False when a field does not parse: then <paramref name="failure"/> is the dead-letter completion
    /// of its lease, or null when not even its id and lease token can be read (its lease expires and recovery
    /// dead-letters it).
    /// </summary>
    private bool TryParseJob(string queue, ReadOnlyMemory<byte> packed, out LeasedJob job, out JobCompletion? failure)
    {
        job = null!;
        failure = null;
        var span = packed.Span;
        var position = 0;
        if (!TryField(span, ref position, out var id) || !JobId.TryParse(Encoding.ASCII.GetString(id), out var jobId))
        {
            return false;
        }

        // The fields up to the lease token are separated by '\n' in any case; numbers are checked after.
        Span<Range> fields = stackalloc Range[8];
        for (var f = 0; f < fields.Length; f++)
        {
            var start = position;
            if (!TryField(span, ref position, out _))
            {
                return false;
            }

            fields[f] = new Range(start, position - 1);
        }

        // name, priority, attempt, max retries, timeout, enqueued, token, deferrals
        var token = Encoding.ASCII.GetString(span[fields[6]]);
        string? bad = null;
        if (!TryNumber(span[fields[1]], 0, 3, out var priority))
        {
            bad = Describe("prio", span[fields[1]]);
        }
        else if (!TryNumber(span[fields[2]], 1, int.MaxValue, out var attempt))
        {
            bad = Describe("attempt", span[fields[2]]);
        }
        else if (!TryNumber(span[fields[3]], 0, int.MaxValue, out var maxRetries))
        {
            bad = Describe("maxr", span[fields[3]]);
        }
        else if (!span[fields[4]].IsEmpty && !TryNumber(span[fields[4]], 1, MaxTimeoutMs, out _))
        {
            bad = Describe("timeout", span[fields[4]]);
        }
        else if (!TryNumber(span[fields[5]], MinInstantMs, MaxInstantMs, out var enqueuedMs))
        {
            bad = Describe("enq", span[fields[5]]);
        }
        else if (!span[fields[7]].IsEmpty && !TryNumber(span[fields[7]], 0, int.MaxValue, out _))
        {
            bad = Describe("defer", span[fields[7]]);
        }
        else if (!TryField(span, ref position, out var traceLengthText)
            || !TryNumber(traceLengthText, 0, span.Length - position, out var traceLength))
        {
            bad = "the traceparent length does not fit the reply";
        }
        else
        {
            var trace = span.Slice(position, (int)traceLength);
            position += (int)traceLength;
            var timeout = span[fields[4]];
            var deferrals = span[fields[7]];
            job = new LeasedJob
            {
                Id = jobId,
                Name = NameOf(span[fields[0]]),
                Queue = queue,
                Payload = packed.Length - position <= MaxSharedPayloadBytes ? packed[position..] : packed[position..].ToArray(),
                Priority = (Priority)priority,
                Attempt = (int)attempt,
                MaxRetries = (int)maxRetries,
                Timeout = timeout.IsEmpty ? null : TimeSpan.FromMilliseconds(long.Parse(timeout, NumberStyles.None, CultureInfo.InvariantCulture)),
                EnqueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(enqueuedMs),
                LeaseToken = token,
                TraceParent = trace.IsEmpty ? null : Encoding.UTF8.GetString(trace),
                Deferrals = deferrals.IsEmpty ? 0 : int.Parse(deferrals, NumberStyles.None, CultureInfo.InvariantCulture),
            };
            return true;
        }

        failure = new JobCompletion { Lease = new LeaseHandle(queue, jobId, token), Kind = CompletionKind.DeadLetter, Error = bad };
        return false;
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

    private static bool TryField(ReadOnlySpan<byte> span, ref int position, out ReadOnlySpan<byte> field)
    {
        var length = span[position..].IndexOf(Separator);
        if (length < 0)
        {
            field = default;
            return false;
        }

        field = span.Slice(position, length);
        position += length + 1;
        return true;
    }

    private static long Number(ReadOnlySpan<byte> span, ref int position, string queue, string field)
    {
        if (!TryField(span, ref position, out var text) || !TryNumber(text, 0, int.MaxValue, out var value))
        {
            throw Malformed(queue, field, Encoding.UTF8.GetString(span[position..]));
        }

        return value;
    }

    /// <summary>A decimal whole number within <paramref name="min"/>..<paramref name="max"/>.</summary>
    private static bool TryNumber(ReadOnlySpan<byte> text, long min, long max, out long value)
        => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    /// <summary>The error a job is dead-lettered with, in the words of the scripts' <c>bad_field</c>.</summary>
    private static string Describe(string field, ReadOnlySpan<byte> value)
        => $"stored field '{field}' has the invalid value '{Encoding.UTF8.GetString(value)}'";

    private static InvalidOperationException Malformed(string queue, string field, string value)
        => new($"Redis job store: the fetch reply for queue '{queue}' has an invalid {field} '{value}' (scripts from another version of TaskQueue.Redis?).");
}
