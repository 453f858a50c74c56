using System.ComponentModel;
using System.Globalization;
using System.Text.Json;

namespace TaskQueue.Serialization;

/// <summary>
/// Reading helpers for generated payload readers. Every method expects the reader on the value's
/// first token and leaves it on the value's last token; every failure throws <see cref="JobPayloadException"/>
/// through <see cref="JobPayloadReadState"/>. No reflection: safe for trimming and NativeAOT.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class JobPayloadReader
{
    /// <summary>
    /// The deepest nesting of objects and arrays a payload may have (<see cref="Utf8JsonReader"/>'s default). Payload
    /// types cannot be cyclic, so real payloads stay far below it; deeper JSON is hostile or foreign and fails with a
    /// <see cref="JobPayloadException"/> (never a stack overflow: skipping and reading are bounded by it).
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Moves to the payload's first token, which must start an object.</summary>
    public static void BeginObjectPayload(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        Advance(ref reader, state);
        ExpectStartObject(ref reader, state);
    }

    /// <summary>Moves to the payload's first token (a result value of any kind).</summary>
    public static void BeginValuePayload(ref Utf8JsonReader reader, JobPayloadReadState state) => Advance(ref reader, state);

    /// <summary>Reads the next token; throws on malformed or truncated JSON.</summary>
    public static void Advance(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        bool read;
        try
        {
            read = reader.Read();
        }
        catch (JsonException ex)
        {
            throw Malformed(ref reader, state, ex);
        }

        if (!read)
        {
            throw state.Error("the JSON ends too early");
        }
    }

    /// <summary>Throws unless the current token starts an object.</summary>
    public static void ExpectStartObject(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Unexpected(ref reader, state, "an object");
        }
    }

    /// <summary>Throws unless the current token starts an array.</summary>
    public static void ExpectStartArray(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Unexpected(ref reader, state, "an array");
        }
    }

    /// <summary>
    /// Inside an object: moves to the next property name and returns true, or to the closing brace and returns false.
    /// </summary>
    public static bool NextProperty(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        Advance(ref reader, state);
        if (reader.TokenType != JsonTokenType.PropertyName)
        {
            return false;
        }

        RequireValidText(ref reader, state);
        return true;
    }

    /// <summary>Inside an array: moves to the next element and returns true, or to the closing bracket and returns false.</summary>
    public static bool NextElement(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        Advance(ref reader, state);
        return reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>From a property name, moves to its value.</summary>
    public static void MoveToValue(ref Utf8JsonReader reader, JobPayloadReadState state) => Advance(ref reader, state);

    /// <summary>From a property name, skips the property's value (including nested objects and arrays).</summary>
    public static void SkipValue(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        Advance(ref reader, state);
        try
        {
            reader.Skip();
        }
        catch (JsonException ex)
        {
            throw Malformed(ref reader, state, ex);
        }
    }

    /// <summary>
    /// The current string or property name as text. Invalid UTF-8 or an unpaired surrogate escape (<c>"\ud800"</c>,
    /// which writing refuses too) throws <see cref="JobPayloadException"/>, not the reader's <see cref="InvalidOperationException"/>.
    /// </summary>
    public static string ReadText(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw state.Error("the string is not valid UTF-8 or has an unpaired surrogate: " + ex.Message, ex);
        }
    }

    /// <summary>
    /// Throws <see cref="JobPayloadException"/> when the current escaped string or property name has an unpaired
    /// surrogate escape, before <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/> would throw
    /// <see cref="InvalidOperationException"/> on it. Unescaped text is not checked (a bool read): the common case costs nothing.
    /// </summary>
    public static void RequireValidText(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        if (reader.ValueIsEscaped)
        {
            _ = ReadText(ref reader, state);
        }
    }

    private static JobPayloadException Malformed(ref Utf8JsonReader reader, JobPayloadReadState state, JsonException ex)
        => reader.CurrentDepth >= MaxDepth - 1
            ? state.Error($"the JSON nests deeper than {MaxDepth} levels (JobPayloadReader.MaxDepth)", ex)
            : state.Error("the JSON is malformed: " + ex.Message, ex);

    /// <summary>The exception for a token of the wrong kind.</summary>
    public static JobPayloadException Unexpected(ref Utf8JsonReader reader, JobPayloadReadState state, string expected)
        => state.Error($"expected {expected} but found {Describe(ref reader)}");

    /// <summary>Reads a JSON true/false.</summary>
    public static bool ReadBoolean(ref Utf8JsonReader reader, JobPayloadReadState state) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Unexpected(ref reader, state, "true or false"),
    };

    /// <summary>Reads a byte.</summary>
    public static byte ReadByte(ref Utf8JsonReader reader, JobPayloadReadState state)
        => ExpectNumber(ref reader, state, "Byte").TryGetByte(out var v) ? v : throw OutOfRange(ref reader, state, "Byte");

    /// <summary>Reads an sbyte.</summary>
    public static sbyte ReadSByte(ref Utf8JsonReader reader, JobPayloadReadState state)
        => ExpectNumber(ref reader, state, "SByte").TryGetSByte(out var v) ? v : throw OutOfRange(ref reader, state, "SByte");

    /// <summary>Reads a short.</summary>
    public static short ReadInt16(ref Utf8JsonReader reader, JobPayloadReadState state)
        => ExpectNumber(ref reader, state, "Int16").TryGetInt16(out var v) ? v : throw OutOfRange(ref reader, state, "Int16");

    /// <summary>Reads a ushort.</summary>
    public static ushort ReadUInt16(ref Utf8JsonReader reader, JobPayloadReadState state)
        => ExpectNumber(ref reader, state, "UInt16").TryGetUInt16(out var v) ? v : throw OutOfRange(ref reader, state, "UInt16");

    /// <summary>Reads an int.</summary>
    public static int ReadInt32(ref Utf8JsonReader reader, JobPayloadReadState state)
        => ExpectNumber(ref reader, state, "Int32").TryGetInt32(out var v) ? v : throw OutOfRange(ref reader, state, "Int32");

    /// <summary>Reads a uint.</summary>
    public static uint ReadUInt32(ref Utf8JsonReader reader, JobPayloadReadState state)
        => ExpectNumber(ref reader, state, "UInt32").TryGetUInt32(out var v) ? v : throw OutOfRange(ref reader, state, "UInt32");

    /// <summary>Reads a long.</summary>
    public static long ReadInt64(ref Utf8JsonReader reader, JobPayloadReadState state)
        => ExpectNumber(ref reader, state, "Int64").TryGetInt64(out var v) ? v : throw OutOfRange(ref reader, state, "Int64");

    /// <summary>Reads a ulong.</summary>
    public static ulong ReadUInt64(ref Utf8JsonReader reader, JobPayloadReadState state)
        => ExpectNumber(ref reader, state, "UInt64").TryGetUInt64(out var v) ? v : throw OutOfRange(ref reader, state, "UInt64");

    /// <summary>Reads a decimal.</summary>
    public static decimal ReadDecimal(ref Utf8JsonReader reader, JobPayloadReadState state)
        => ExpectNumber(ref reader, state, "Decimal").TryGetDecimal(out var v) ? v : throw OutOfRange(ref reader, state, "Decimal");

    /// <summary>Reads a double: a number, or "NaN", "Infinity", "-Infinity".</summary>
    public static double ReadDouble(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return NamedLiteral(ref reader, state) ?? throw state.Error($"expected a number, \"NaN\", \"Infinity\" or \"-Infinity\" but found the string \"{Shown(ref reader)}\"");
        }

        return ExpectNumber(ref reader, state, "Double").TryGetDouble(out var v) ? v : throw OutOfRange(ref reader, state, "Double");
    }

    /// <summary>Reads a float: a number, or "NaN", "Infinity", "-Infinity".</summary>
    public static float ReadSingle(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return (float?)NamedLiteral(ref reader, state) ?? throw state.Error($"expected a number, \"NaN\", \"Infinity\" or \"-Infinity\" but found the string \"{Shown(ref reader)}\"");
        }

        return ExpectNumber(ref reader, state, "Single").TryGetSingle(out var v) && !float.IsInfinity(v) ? v : throw OutOfRange(ref reader, state, "Single");
    }

    /// <summary>Reads a string, or null.</summary>
    public static string? ReadString(ref Utf8JsonReader reader, JobPayloadReadState state) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => ReadText(ref reader, state),
        _ => throw Unexpected(ref reader, state, "a string"),
    };

    /// <summary>Reads a one-character string.</summary>
    public static char ReadChar(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        var text = ExpectString(ref reader, state, "a one-character string");
        return text.Length == 1 ? text[0] : throw state.Error($"expected a one-character string but found \"{text}\" ({text.Length} characters)");
    }

    /// <summary>Reads a Guid string.</summary>
    public static Guid ReadGuid(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        ExpectString(ref reader, state, "a GUID string");
        return reader.TryGetGuid(out var v) ? v : throw state.Error($"\"{Shown(ref reader)}\" is not a GUID");
    }

    /// <summary>Reads an ISO 8601 date and time; the kind follows the text (Z = UTC, offset = local, none = unspecified).</summary>
    public static DateTime ReadDateTime(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        ExpectString(ref reader, state, "an ISO 8601 date string");
        return reader.TryGetDateTime(out var v) ? v : throw state.Error($"\"{Shown(ref reader)}\" is not an ISO 8601 date and time");
    }

    /// <summary>Reads an ISO 8601 date and time with offset.</summary>
    public static DateTimeOffset ReadDateTimeOffset(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        ExpectString(ref reader, state, "an ISO 8601 date string");
        return reader.TryGetDateTimeOffset(out var v) ? v : throw state.Error($"\"{Shown(ref reader)}\" is not an ISO 8601 date and time with offset");
    }

    /// <summary>Reads a time span in the invariant "c" format, e.g. "1.02:03:04.5000000".</summary>
    public static TimeSpan ReadTimeSpan(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        var text = ExpectString(ref reader, state, "a time span string");
        return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var v) ? v : throw state.Error($"\"{text}\" is not a time span in the \"c\" format (d.hh:mm:ss.fffffff)");
    }

    /// <summary>Reads a date "yyyy-MM-dd".</summary>
    public static DateOnly ReadDateOnly(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        var text = ExpectString(ref reader, state, "a date string");
        return DateOnly.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v : throw state.Error($"\"{text}\" is not a date in the yyyy-MM-dd format");
    }

    /// <summary>Reads a time of day "HH:mm:ss.fffffff".</summary>
    public static TimeOnly ReadTimeOnly(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        var text = ExpectString(ref reader, state, "a time string");
        return TimeOnly.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v : throw state.Error($"\"{text}\" is not a time in the HH:mm:ss.fffffff format");
    }

    /// <summary>The exception for an enum name that is not a member (generated readers match the names themselves).</summary>
    public static JobPayloadException UnknownEnumName(ref Utf8JsonReader reader, JobPayloadReadState state, string enumName)
        => state.Error($"\"{Shown(ref reader)}\" is not a member of {enumName}");

    private static ref Utf8JsonReader ExpectNumber(ref Utf8JsonReader reader, JobPayloadReadState state, string type)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Unexpected(ref reader, state, "a number (" + type + ")");
        }

        return ref reader;
    }

    private static string ExpectString(ref Utf8JsonReader reader, JobPayloadReadState state, string expected)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Unexpected(ref reader, state, expected);
        }

        return ReadText(ref reader, state);
    }

    private static double? NamedLiteral(ref Utf8JsonReader reader, JobPayloadReadState state)
    {
        RequireValidText(ref reader, state);
        if (reader.ValueTextEquals("NaN"u8))
        {
            return double.NaN;
        }

        if (reader.ValueTextEquals("Infinity"u8))
        {
            return double.PositiveInfinity;
        }

        if (reader.ValueTextEquals("-Infinity"u8))
        {
            return double.NegativeInfinity;
        }

        return null;
    }

    /// <summary>The current string for an error message; never throws on invalid text.</summary>
    private static string Shown(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return "(not valid UTF-8)";
        }
    }

    private static JobPayloadException OutOfRange(ref Utf8JsonReader reader, JobPayloadReadState state, string type)
        => state.Error($"the number {Raw(ref reader)} does not fit {type}");

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"the string \"{Shown(ref reader)}\"",
        JsonTokenType.Number => "the number " + Raw(ref reader),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        var other => other.ToString(),
    };

    private static string Raw(ref Utf8JsonReader reader)
        => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
}
