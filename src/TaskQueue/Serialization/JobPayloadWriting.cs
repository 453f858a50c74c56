using System.Globalization;
using System.Text.Json;

namespace TaskQueue.Serialization;

/// <summary>
/// Writing helpers for generated payload writers, for the values <see cref="Utf8JsonWriter"/> has no
/// fitting overload for. Formats match <see cref="JobPayloadReader"/>. No reflection.
/// </summary>
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
    public static void WriteChar(Utf8JsonWriter writer, char value)
    {
        Span<char> one = [value];
        writer.WriteStringValue(one);
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
