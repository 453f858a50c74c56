using System.Diagnostics.CodeAnalysis;

namespace TaskQueue;

/// <summary>
/// The one rule for names that end up inside storage keys (job names, queue names, ids,
/// idempotency keys excepted). The analyzers compile this same file, so the IDE and the runtime agree.
/// </summary>
public static class JobNames
{
    /// <summary>The longest job or queue name.</summary>
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="name"/> is a usable job name: 1-64 of A-Z a-z 0-9 - _ . :</summary>
    public static bool IsValidJobName([NotNullWhen(true)] string? name) => IsSafe(name, allowColon: true);

    /// <summary>True when <paramref name="name"/> is a usable queue name: 1-64 of A-Z a-z 0-9 - _ .</summary>
    public static bool IsValidQueueName([NotNullWhen(true)] string? name) => IsSafe(name, allowColon: false);

    /// <summary>True when <paramref name="id"/> is a usable job id: 1-64 of A-Z a-z 0-9 - _ .</summary>
    public static bool IsValidId([NotNullWhen(true)] string? id) => IsSafe(id, allowColon: false);

    /// <summary>Throws <see cref="ArgumentException"/> naming the queue when it is not usable.</summary>
    public static string ValidateQueueName(string? queue, string paramName)
    {
        if (!IsValidQueueName(queue))
        {
            throw new ArgumentException($"Queue name '{queue}' is not valid: use 1 to {MaxLength} characters of A-Z, a-z, 0-9, '-', '_' or '.'.", paramName);
        }

        return queue!;
    }

    private static bool IsSafe([NotNullWhen(true)] string? value, bool allowColon)
    {
        if (value is null || value.Length == 0 || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || (allowColon && c == ':');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
