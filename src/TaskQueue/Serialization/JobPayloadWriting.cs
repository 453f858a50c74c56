using System.ComponentModel;
using System.Globalization;
using System.Text.Json;

namespace TaskQueue.Serialization;

/// <summary>
/// Writing helpers for generated payload writers, for the values <see cref="Utf8JsonWriter"/> has no
/// fitting overload for. Formats match <see cref="JobPayloadReader"/>. No reflection.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class JobPayloadWriting
{
    /// <summary>Writes a double; NaN and infinities as the strings "NaN", "Infinity", "-Infinity" (System.Text.Json's named literals).</summary>
    public static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    /// <summary>Writes a float; NaN and infinities as strings.</summary>
    public static void WriteSingle(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(float.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    /// <summary>Writes a char as a one-character string.</summary>
    /// <exception cref="ArgumentException">The char is half of a surrogate pair, which JSON text cannot carry on its own.</exception>
    public static void WriteChar(Utf8JsonWriter writer, char value)
    {
        if (char.IsSurrogate(value))
        {
            throw new ArgumentException($"the char U+{(int)value:X4} is half of a UTF-16 surrogate pair and cannot be stored as JSON text");
        }

        Span<char> one = [value];
        writer.WriteStringValue(one);
    }

    /// <summary>Writes a string or null.</summary>
    /// <exception cref="ArgumentException">The string has an unpaired surrogate, which the JSON writer would silently replace.</exception>
    public static void WriteString(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        ThrowOnUnpairedSurrogate(value);
        writer.WriteStringValue(value);
    }

    /// <summary>Writes a dictionary key.</summary>
    /// <exception cref="ArgumentException">The key has an unpaired surrogate.</exception>
    public static void WritePropertyName(Utf8JsonWriter writer, string name)
    {
        ThrowOnUnpairedSurrogate(name);
        writer.WritePropertyName(name);
    }

    private static void ThrowOnUnpairedSurrogate(string value)
    {
        // Vectorized search first: almost every string has no surrogate at all.
        var span = value.AsSpan();
        var start = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (start < 0)
        {
            return;
        }

        for (var i = start; i < span.Length; i++)
        {
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(span[i]))
            {
                throw new ArgumentException($"the string has an unpaired UTF-16 surrogate U+{(int)span[i]:X4} at index {i}, which JSON text cannot carry (it would be replaced by U+FFFD)");
            }
        }
    }

    /// <summary>Writes a time span in the invariant "c" format.</summary>
    public static void WriteTimeSpan(Utf8JsonWriter writer, TimeSpan value)
    {
        Span<char> buffer = stackalloc char[32];
        value.TryFormat(buffer, out var written, "c", CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }

    /// <summary>Writes a date as "yyyy-MM-dd".</summary>
    public static void WriteDateOnly(Utf8JsonWriter writer, DateOnly value)
    {
        Span<char> buffer = stackalloc char[16];
        value.TryFormat(buffer, out var written, "O", CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }

    /// <summary>Writes a time of day as "HH:mm:ss.fffffff".</summary>
    public static void WriteTimeOnly(Utf8JsonWriter writer, TimeOnly value)
    {
        Span<char> buffer = stackalloc char[24];
        value.TryFormat(buffer, out var written, "O", CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
