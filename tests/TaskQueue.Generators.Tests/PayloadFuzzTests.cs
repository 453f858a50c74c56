using System.Diagnostics;
using System.Text;
using TaskQueue.Generators.Tests.Infrastructure;

namespace TaskQueue.Generators.Tests;

/// <summary>
/// Hostile payloads against a generated reader with a rich parameter list: random bytes and mutations of a valid
/// payload. Every input ends in a value or a <see cref="JobPayloadException"/>, never another exception, hang or crash.
/// Seeded, so a failure reproduces; bounded in cases and time.
/// </summary>
public sealed class PayloadFuzzTests
{
    private const int Cases = 4000;
    private const int Seed = 20_26_12_01;
    private const int ParameterCount = 36;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    private static readonly Lazy<Type> s_proxy = new(() => new GeneratedAssembly(
        GeneratorHarness.Load(GeneratorHarness.CompileWithGenerator("FuzzApp", Source)),
        "TaskQueue.Generated.FuzzAppJobRegistry").Proxy("Fuzz", "Everything"));

    private const string Source = """
        using System;
        using System.Collections.Generic;
        using TaskQueue;

        namespace Fuzz;

        public enum Color : byte { Red = 1, Green = 2 }

        public sealed record Item(string Name, int Count = 1);

        public sealed class Settings
        {
            public bool Enabled { get; set; }
            public required string Mode { get; init; }
            public Dictionary<string, Item> Items { get; set; } = new();
        }

        public readonly record struct Range(TimeOnly From, TimeOnly To);

        public static class FuzzJobs
        {
            [Job]
            public static void Everything(
                bool flag, byte b, sbyte sb, short s, ushort us, int i, uint ui, long l, ulong ul, float f, double d, decimal m, char c,
                string text, string? maybe, Guid id, DateTime when, DateTimeOffset at, TimeSpan span, DateOnly day, TimeOnly time,
                Color color, int? optionalNumber, int[] numbers, List<string> names, IReadOnlyList<Item> items, IEnumerable<long> longs,
                Dictionary<string, int> counts, IReadOnlyDictionary<string, List<Range>> ranges, Settings settings, Range range,
                Range? maybeRange, List<List<int>> grid, string @class = "x", double ratio = 0.5, Color defaultColor = Color.Green)
            {
            }
        }
        """;

    private const string Valid = """
        {"flag":true,"b":255,"sb":-128,"s":-32768,"us":65535,"i":-5,"ui":7,"l":-9007199254740993,"ul":18446744073709551615,
        "f":1.5,"d":"NaN","m":79228162514264337593543950335,"c":"\u00e9","text":"h\u00e9llo \ud83d\ude00","maybe":null,
        "id":"0f8fad5b-d9cb-469f-a165-70867728950e","when":"2024-02-29T12:34:56.789Z","at":"2024-02-29T12:34:56.789+05:30",
        "span":"1.02:03:04.5","day":"2024-02-29","time":"23:59:59.9999999","color":"Green","optionalNumber":3,
        "numbers":[1,2,3],"names":["a","b"],"items":[{"name":"x","count":2},{"name":"y"}],"longs":[1,-1],
        "counts":{"a":1,"b":2},"ranges":{"r":[{"from":"01:00:00.0000000","to":"02:00:00.0000000"}]},
        "settings":{"enabled":true,"mode":"fast","items":{"k":{"name":"n","count":3}}},
        "range":{"from":"03:00:00.0000000","to":"04:00:00.0000000"},"maybeRange":null,"grid":[[1,2],[3]],
        "class":"c","ratio":0.25,"defaultColor":1}
        """;

    /// <summary>Values a property can be swapped for: other types, extremes, and malformed text.</summary>
    private static readonly string[] HostileValues =
    [
        "null", "true", "false", "0", "-0", "-1", "1.5", "1e400", "-1e400", "1e-400", "123456789012345678901234567890",
        "18446744073709551616", "-9223372036854775809", "\"\"", "\"x\"", "\"NaN\"", "\"Infinity\"", "\"\\ud800\"",
        "\"\\u0000\"", "[]", "{}", "[null]", "[1,\"a\"]", "{\"a\":null}", "{\"name\":null}", "\"2024-13-45\"",
        "\"99:99:99\"", "\"Purple\"", "255", "300", "[[[]]]", "{\"from\":1}", new string('[', 200) + new string(']', 200),
        new string('[', 100_000), "\"" + new string('a', 100_000) + "\"",
    ];

    [Fact]
    public async Task Hostile_payloads_end_in_a_value_or_a_JobPayloadException_never_another_exception_or_hang()
    {
        var proxy = s_proxy.Value;
        var valid = Encoding.UTF8.GetBytes(Valid.ReplaceLineEndings(""));
        Assert.Equal(ParameterCount, GeneratedAssembly.Deserialize(proxy, valid, ParameterCount).Length);

        // Synchronous work on a pool thread, so a hang fails the test at the deadline instead of blocking it.
        var run = Task.Run(() => Fuzz(proxy, valid));
        var (ran, values, failures) = await run.WaitAsync(Budget + TimeSpan.FromSeconds(30));

        Assert.True(failures.Count == 0, $"{failures.Count} of {ran} inputs failed; first ones:\n" + string.Join("\n", failures.Take(10)));
        Assert.True(ran >= 1000, $"only {ran} cases ran within {Budget}");
        Assert.InRange(values, 1, ran - 1);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(100_000)]
    public void Payload_nested_deeper_than_the_limit_fails_with_a_JobPayloadException_naming_the_job_and_the_limit(int depth)
    {
        var json = "{\"unknown\":" + new string('[', depth) + new string(']', depth) + "}";

        var error = Assert.Throws<JobPayloadException>(() => GeneratedAssembly.Deserialize(s_proxy.Value, Encoding.UTF8.GetBytes(json), ParameterCount));

        Assert.Equal("Everything", error.JobName);
        Assert.Contains($"deeper than {TaskQueue.Serialization.JobPayloadReader.MaxDepth} levels", error.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_or_dictionary_key_is_a_JobPayloadException()
    {
        var valid = Encoding.UTF8.GetBytes(Valid.ReplaceLineEndings(""));
        foreach (var target in new[] { "\"text\":\"h", "\"counts\":{\"a" })
        {
            var at = Encoding.UTF8.GetString(valid).IndexOf(target, StringComparison.Ordinal) + target.Length;
            byte[] input = [.. valid.AsSpan(0, at), 0xFF, .. valid.AsSpan(at)];

            var error = Assert.Throws<JobPayloadException>(() => GeneratedAssembly.Deserialize(s_proxy.Value, input, ParameterCount));

            Assert.Contains("not valid UTF-8", error.Message);
        }
    }

    private static (int Ran, int Values, List<string> Failures) Fuzz(Type proxy, byte[] valid)
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        var values = 0;
        var clock = Stopwatch.StartNew();
        var n = 0;
        for (; n < Cases && clock.Elapsed < Budget; n++)
        {
            var input = Mutate(random, valid);
            try
            {
                var args = GeneratedAssembly.Deserialize(proxy, input, ParameterCount);
                values++;
                RequireStableRoundTrip(proxy, args);
            }
            catch (JobPayloadException ex) when (ex.JobName == "Everything")
            {
            }
            catch (Exception ex)
            {
                failures.Add($"case {n}: {ex.GetType().Name}: {ex.Message} | input (base64) {Convert.ToBase64String(input.AsSpan(0, Math.Min(input.Length, 300)))}");
            }
        }

        return (n, values, failures);
    }

    /// <summary>A value read from hostile input is a correct value: written and read again, it writes the same JSON.</summary>
    private static void RequireStableRoundTrip(Type proxy, object?[] args)
    {
        var written = GeneratedAssembly.Serialize(proxy, args);
        var again = GeneratedAssembly.Serialize(proxy, GeneratedAssembly.Deserialize(proxy, written, ParameterCount));
        if (!written.AsSpan().SequenceEqual(again))
        {
            throw new InvalidOperationException($"round trip is not stable: {Encoding.UTF8.GetString(written)} then {Encoding.UTF8.GetString(again)}");
        }
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = valid.ToList();
        var mutations = random.Next(1, 4);
        for (var k = 0; k < mutations; k++)
        {
            switch (random.Next(10))
            {
                case 0:
                    return RandomBytes(random);
                case 1:
                    bytes = bytes.Take(random.Next(bytes.Count)).ToList();
                    break;
                case 2 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 3 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 4:
                    // Invalid UTF-8 (a lone continuation byte, an overlong form, a surrogate) inside a string.
                    var inside = bytes.IndexOf((byte)'"', random.Next(Math.Max(1, bytes.Count)));
                    byte[][] invalid = [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF], [0xF4, 0x90, 0x80, 0x80]];
                    bytes.InsertRange(inside < 0 ? 0 : inside + 1, invalid[random.Next(invalid.Length)]);
                    break;
                case 5:
                case 6:
                    bytes = SwapValue(random, bytes);
                    break;
                case 7:
                    // A duplicate property: the last one wins or the read fails, never anything else.
                    var text = Encoding.UTF8.GetString([.. bytes]);
                    var close = text.LastIndexOf('}');
                    if (close > 0)
                    {
                        var name = PropertyNames(text)[random.Next(PropertyNames(text).Count)];
                        bytes = [.. Encoding.UTF8.GetBytes(text[..close] + $",\"{name}\":{HostileValues[random.Next(HostileValues.Length)]}" + text[close..])];
                    }

                    break;
                case 8:
                    // Deep nesting, as an unknown property (skipped) or in place of a known value.
                    var depth = random.Next(2) == 0 ? random.Next(60, 70) : random.Next(1_000, 20_000);
                    var open = random.Next(2) == 0 ? "[" : "{\"a\":";
                    var deep = string.Concat(Enumerable.Repeat(open, depth)) + "1" + new string(open == "[" ? ']' : '}', depth);
                    var t = Encoding.UTF8.GetString([.. bytes]);
                    bytes = random.Next(2) == 0 && t.StartsWith('{')
                        ? [.. Encoding.UTF8.GetBytes("{\"unknown\":" + deep + "," + t[1..])]
                        : SwapValue(random, bytes, deep);
                    break;
                default:
                    bytes.InsertRange(random.Next(bytes.Count + 1), RandomBytes(random).Take(8));
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Replaces one property's value (up to the next ',' or '}' at the same line of text) with a hostile one.</summary>
    private static List<byte> SwapValue(Random random, List<byte> bytes, string? value = null)
    {
        var text = Encoding.UTF8.GetString([.. bytes]);
        var names = PropertyNames(text);
        if (names.Count == 0)
        {
            return bytes;
        }

        var marker = $"\"{names[random.Next(names.Count)]}\":";
        var start = text.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var end = start;
        var nesting = 0;
        while (end < text.Length && (nesting > 0 || (text[end] != ',' && text[end] != '}')))
        {
            nesting += text[end] is '[' or '{' ? 1 : text[end] is ']' or '}' ? -1 : 0;
            end++;
        }

        return [.. Encoding.UTF8.GetBytes(text[..start] + (value ?? HostileValues[random.Next(HostileValues.Length)]) + text[end..])];
    }

    private static List<string> PropertyNames(string text)
    {
        var names = new List<string>();
        for (var i = text.IndexOf("\"", StringComparison.Ordinal); i >= 0 && i + 1 < text.Length; i = text.IndexOf('"', i + 1))
        {
            var close = text.IndexOf("\":", i + 1, StringComparison.Ordinal);
            if (close > i && close - i < 20 && !text.AsSpan(i + 1, close - i - 1).ContainsAny("\",{}[]"))
            {
                names.Add(text[(i + 1)..close]);
                i = close + 1;
            }
        }

        return names.Count == 0 ? ["i"] : names;
    }
}
