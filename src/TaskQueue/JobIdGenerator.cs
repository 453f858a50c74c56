using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TaskQueue;

/// <summary>
/// Makes UUID version 7 ids (RFC 9562): 48 bits of Unix time in milliseconds, the version and variant bits,
/// and 74 random bits, written as 32 lowercase hex digits (so the text sorts by creation time).
/// </summary>
/// <remarks>
/// <see cref="Guid.CreateVersion7()"/> asks the kernel for 16 random bytes per id, one <c>read</c> of
/// <c>/dev/urandom</c> each; in bulk enqueue that syscall was about a fifth of the client's CPU
/// (docs/benchmarks.md). Here the kernel's generator fills a 4 KB block per thread, one read per ~400 ids.
/// </remarks>
internal static class JobIdGenerator
{
    private const int BlockSize = 4096;
    private const int RandomBytesPerId = 10;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    /// <summary>A new id made at <paramref name="now"/>.</summary>
    public static string NewId(DateTimeOffset now)
    {
        var random = t_random;
        var used = t_used;
        if (random is null || used > BlockSize - RandomBytesPerId)
        {
            random = t_random ??= new byte[BlockSize];
            FillRandom(random);
            used = 0;
        }

        Span<byte> uuid = stackalloc byte[16];
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, now.ToUnixTimeMilliseconds());
        time[2..].CopyTo(uuid);
        random.AsSpan(used, RandomBytesPerId).CopyTo(uuid[6..]);
        t_used = used + RandomBytesPerId;

        uuid[6] = (byte)(0x70 | (uuid[6] & 0x0F)); // version 7
        uuid[8] = (byte)(0x80 | (uuid[8] & 0x3F)); // variant 10xx
        return Convert.ToHexStringLower(uuid);
    }

    /// <summary>Cryptographically strong random bytes from the operating system.</summary>
    /// <remarks>
    /// Not <see cref="RandomNumberGenerator"/> on Linux: it goes through OpenSSL there, and loading OpenSSL
    /// cost a NativeAOT worker ~10 ms of start-up. <c>/dev/urandom</c> is the source Guid.NewGuid reads too.
    /// </remarks>
    private static void FillRandom(Span<byte> block)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomNumberGenerator.Fill(block);
            return;
        }

        using var urandom = File.OpenHandle("/dev/urandom");
        var filled = 0;
        while (filled < block.Length)
        {
            filled += RandomAccess.Read(urandom, block[filled..], fileOffset: 0);
        }
    }
}
