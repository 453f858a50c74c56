using System.Security.Cryptography;
using System.Text;

namespace TaskQueue.Scheduling;

/// <summary>
/// The job id of one occurrence, derived from its identity (schedule name + due instant) alone, so every scheduler
/// that enqueues the same occurrence names the same job and a store can never hold it twice.
/// </summary>
public static class OccurrenceIds
{
    /// <summary><c>rec-</c>, the due instant in Unix ms, and 24 hex digits of SHA-256 of the schedule name: at most 42 characters.</summary>
    public static JobId For(string scheduleName, DateTimeOffset dueAt)
    {
        ArgumentNullException.ThrowIfNull(scheduleName);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(scheduleName), hash);
        return new JobId(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"rec-{dueAt.ToUnixTimeMilliseconds()}-{Convert.ToHexStringLower(hash[..12])}"));
    }
}
