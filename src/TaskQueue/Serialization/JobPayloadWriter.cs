using System.Buffers;
using System.ComponentModel;
using System.Text.Json;

namespace TaskQueue.Serialization;

/// <summary>
/// A per-thread reusable <see cref="Utf8JsonWriter"/> for generated serializers, so writing a payload
/// allocates only the final byte array. Rent, write synchronously, then <see cref="ToArrayAndReset"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class JobPayloadWriter
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>Returns this thread's writer, emptied. Do not await between this call and <see cref="ToArrayAndReset"/>.</summary>
    public static Utf8JsonWriter Rent()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(buffer);
        return writer;
    }

    /// <summary>Flushes <paramref name="writer"/> and copies what it wrote.</summary>
    public static byte[] ToArrayAndReset(Utf8JsonWriter writer)
    {
        writer.Flush();
        var buffer = t_buffer!;
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 64 * 1024)
        {
            // Do not keep a huge buffer alive on the thread because of one large payload.
            t_buffer = null;
            t_writer = null;
        }
        else
        {
            buffer.ResetWrittenCount();
        }

        return bytes;
    }
}
