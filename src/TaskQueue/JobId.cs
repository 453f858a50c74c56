using System.Diagnostics.CodeAnalysis;

namespace TaskQueue;

/// <summary>
/// The stable identity of one job across all its attempts. New ids are UUID version 7 in
/// 32 lowercase hex digits, so they sort by creation time and are safe in Redis keys.
/// </summary>
public readonly struct JobId : IEquatable<JobId>, IComparable<JobId>
{
    private readonly string? _value;

    /// <summary>Wraps an existing id, e.g. one read back from storage or typed by an operator.</summary>
    /// <exception cref="ArgumentException">The value is empty or has characters unsafe in a storage key.</exception>
    public JobId(string value)
    {
        if (!JobNames.IsValidId(value))
        {
            throw new ArgumentException($"'{value}' is not a valid job id: use 1 to 64 characters of A-Z, a-z, 0-9, '-', '_' or '.'.", nameof(value));
        }

        _value = value;
    }

    /// <summary>The id text; empty for <c>default(JobId)</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>default(JobId)</c>, which names no job.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>Makes a new, time-ordered id.</summary>
    public static JobId New() => new(JobIdGenerator.NewId(DateTimeOffset.UtcNow), trusted: true);

    private JobId(string value, bool trusted)
    {
        _ = trusted;
        _value = value;
    }

    /// <summary>Parses an id without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out JobId id)
    {
        if (JobNames.IsValidId(value))
        {
            id = new JobId(value, trusted: true);
            return true;
        }

        id = default;
        return false;
    }

    /// <inheritdoc/>
    public bool Equals(JobId other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is JobId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <inheritdoc/>
    public int CompareTo(JobId other) => string.CompareOrdinal(_value, other._value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Equality.</summary>
    public static bool operator ==(JobId left, JobId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(JobId left, JobId right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(JobId left, JobId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(JobId left, JobId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(JobId left, JobId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(JobId left, JobId right) => left.CompareTo(right) >= 0;
}
