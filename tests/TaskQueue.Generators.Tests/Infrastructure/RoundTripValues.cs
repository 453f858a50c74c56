using System.Collections;
using System.Reflection;
using System.Text;

namespace TaskQueue.Generators.Tests.Infrastructure;

/// <summary>Seeded random values of any supported type (edge values first), and a deep equality that checks kinds and offsets too.</summary>
internal static class RoundTripValues
{
    private static readonly string[] EdgeStrings =
    [
        "", " ", "plain", "quote \" backslash \\ slash /", "control \u0000\u0001\u001f\t\r\n", "emoji 😀🎉👩‍👩‍👧",
        "surrogate pair \uD83D\uDE00", "unicode ü ß 中文 العربية", "<script>&amp;</script>", "\u2028\u2029", new string('x', 5000),
    ];

    public static object? Create(Type type, Random random, int depth, int index = -1)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return random.Next(5) == 0 ? null : Create(underlying, random, depth, index);
        }

        if (!type.IsValueType && type != typeof(string) && depth > 0 && random.Next(10) == 0)
        {
            return null;
        }

        // The first values of every type are its edge cases.
        if (type == typeof(bool)) return index is 0 or 1 ? index == 1 : random.Next(2) == 1;
        if (type == typeof(byte)) return Pick(index, random, [byte.MinValue, byte.MaxValue], r => (byte)r.Next(256));
        if (type == typeof(sbyte)) return Pick(index, random, [sbyte.MinValue, sbyte.MaxValue, (sbyte)0], r => (sbyte)r.Next(-128, 128));
        if (type == typeof(short)) return Pick(index, random, [short.MinValue, short.MaxValue, (short)0], r => (short)r.Next(short.MinValue, short.MaxValue + 1));
        if (type == typeof(ushort)) return Pick(index, random, [ushort.MinValue, ushort.MaxValue], r => (ushort)r.Next(ushort.MaxValue + 1));
        if (type == typeof(int)) return Pick(index, random, [int.MinValue, int.MaxValue, 0, -1], r => r.Next(int.MinValue, int.MaxValue));
        if (type == typeof(uint)) return Pick(index, random, [uint.MinValue, uint.MaxValue], r => (uint)r.NextInt64(uint.MaxValue + 1L));
        if (type == typeof(long)) return Pick(index, random, [long.MinValue, long.MaxValue, 0L, -1L], r => r.NextInt64(long.MinValue, long.MaxValue));
        if (type == typeof(ulong)) return Pick(index, random, [ulong.MinValue, ulong.MaxValue], r => (ulong)r.NextInt64() * 2 + (ulong)r.Next(2));
        if (type == typeof(float))
        {
            return Pick(index, random, [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MinValue, float.MaxValue, float.Epsilon, -0.0f, 0.1f],
                r => BitConverter.Int32BitsToSingle(r.Next(int.MinValue, int.MaxValue)));
        }

        if (type == typeof(double))
        {
            return Pick(index, random, [double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MinValue, double.MaxValue, double.Epsilon, -0.0, 0.1],
                r => BitConverter.Int64BitsToDouble(r.NextInt64(long.MinValue, long.MaxValue)));
        }

        if (type == typeof(decimal))
        {
            return Pick(index, random, [decimal.MinValue, decimal.MaxValue, decimal.Zero, 0.0000000000000000000000000001m, -1.10m],
                r => new decimal(r.Next(int.MinValue, int.MaxValue), r.Next(int.MinValue, int.MaxValue), r.Next(int.MinValue, int.MaxValue), r.Next(2) == 1, (byte)r.Next(29)));
        }

        if (type == typeof(char)) return Pick(index, random, ['\0', '"', '\\', '\u00e9', '\uffff', '\u2028'], r => (char)r.Next(0, 0xD800));
        if (type == typeof(string)) return index >= 0 && index < EdgeStrings.Length ? EdgeStrings[index] : depth > 0 && random.Next(10) == 0 ? null : RandomString(random);
        if (type == typeof(Guid)) return Pick(index, random, [Guid.Empty], r => new Guid(RandomBytes(r, 16)));
        if (type == typeof(DateTime))
        {
            return Pick(index, random, [DateTime.MinValue, DateTime.MaxValue, DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc), new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Local)], r =>
            {
                var kind = (DateTimeKind)r.Next(3);
                var (min, max) = kind == DateTimeKind.Local ? (new DateTime(1900, 1, 1).Ticks, new DateTime(2100, 1, 1).Ticks) : (0L, DateTime.MaxValue.Ticks);
                return new DateTime(r.NextInt64(min, max), kind);
            });
        }

        if (type == typeof(DateTimeOffset))
        {
            return Pick(index, random, [DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(14)), new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(-570))], r =>
                new DateTimeOffset(r.NextInt64(new DateTime(2, 1, 1).Ticks, new DateTime(9998, 1, 1).Ticks), TimeSpan.FromMinutes(r.Next(-14 * 60, 14 * 60 + 1))));
        }

        if (type == typeof(TimeSpan)) return Pick(index, random, [TimeSpan.MinValue, TimeSpan.MaxValue, TimeSpan.Zero, TimeSpan.FromTicks(-1)], r => TimeSpan.FromTicks(r.NextInt64(long.MinValue, long.MaxValue)));
        if (type == typeof(DateOnly)) return Pick(index, random, [DateOnly.MinValue, DateOnly.MaxValue], r => DateOnly.FromDayNumber(r.Next(DateOnly.MaxValue.DayNumber + 1)));
        if (type == typeof(TimeOnly)) return Pick(index, random, [TimeOnly.MinValue, TimeOnly.MaxValue], r => new TimeOnly(r.NextInt64(TimeOnly.MaxValue.Ticks + 1)));
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return random.Next(5) == 0 ? Enum.ToObject(type, 1000 + random.Next(1000)) : values.GetValue(random.Next(values.Length));
        }

        if (type.IsArray)
        {
            var items = CreateItems(type.GetElementType()!, random, depth);
            var array = Array.CreateInstance(type.GetElementType()!, items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                array.SetValue(items[i], i);
            }

            return array;
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (definition == typeof(List<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IEnumerable<>))
            {
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(args[0]))!;
                foreach (var item in CreateItems(args[0], random, depth))
                {
                    list.Add(item);
                }

                return list;
            }

            if (definition == typeof(Dictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
            {
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(args))!;
                var count = depth > 2 ? 0 : random.Next(5);
                for (var i = 0; i < count; i++)
                {
                    dictionary[RandomString(random) + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Create(args[1], random, depth + 1);
                }

                return dictionary;
            }
        }

        return CreateObject(type, random, depth);
    }

    /// <summary>Fills every instance field, private and inherited ones too, so any state the serializer drops shows up.</summary>
    private static object CreateObject(Type type, Random random, int depth)
    {
        var instance = System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
        foreach (var field in InstanceFields(type))
        {
            field.SetValue(instance, Create(field.FieldType, random, depth + 1));
        }

        return instance;
    }

    /// <summary>Every instance field of the type and its bases: the whole state of an object.</summary>
    public static IEnumerable<FieldInfo> InstanceFields(Type type)
    {
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }

    private static List<object?> CreateItems(Type element, Random random, int depth)
    {
        var count = depth > 2 ? 0 : random.Next(6);
        return Enumerable.Range(0, count).Select(_ => Create(element, random, depth + 1)).ToList();
    }

    private static T Pick<T>(int index, Random random, T[] edges, Func<Random, T> next)
        => index >= 0 && index < edges.Length ? edges[index] : next(random);

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomString(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(12);
        for (var i = 0; i < length; i++)
        {
            switch (random.Next(4))
            {
                case 0: builder.Append((char)random.Next(0x20, 0x7f)); break;
                case 1: builder.Append((char)random.Next(0, 0x20)); break;
                case 2: builder.Append((char)random.Next(0x80, 0xD800)); break;
                default: builder.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x10FFFF))); break;
            }
        }

        return builder.ToString();
    }

    public static void AssertDeepEqual(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {Show(expected)} but got {Show(actual)}");
            return;
        }

        switch (expected)
        {
            case DateTime e:
                var a = Assert.IsType<DateTime>(actual);
                Assert.True(e.Ticks == a.Ticks && e.Kind == a.Kind, $"{path}: expected {e:O} ({e.Kind}) but got {a:O} ({a.Kind})");
                return;
            case DateTimeOffset e:
                var ao = Assert.IsType<DateTimeOffset>(actual);
                Assert.True(e == ao && e.Offset == ao.Offset, $"{path}: expected {e:O} but got {ao:O}");
                return;
            case string or char or bool or Guid or TimeSpan or DateOnly or TimeOnly or decimal or float or double or Enum
                or byte or sbyte or short or ushort or int or uint or long or ulong:
                Assert.True(expected.Equals(actual), $"{path}: expected {Show(expected)} but got {Show(actual)}");
                return;
            case IDictionary e:
                var ad = Assert.IsAssignableFrom<IDictionary>(actual);
                Assert.True(e.Count == ad.Count, $"{path}: expected {e.Count} entries but got {ad.Count}");
                foreach (DictionaryEntry entry in e)
                {
                    Assert.True(ad.Contains(entry.Key), $"{path}: key '{entry.Key}' is missing");
                    AssertDeepEqual(entry.Value, ad[entry.Key], $"{path}[{entry.Key}]");
                }

                return;
            case IEnumerable e:
                var expectedItems = e.Cast<object?>().ToList();
                var actualItems = Assert.IsAssignableFrom<IEnumerable>(actual).Cast<object?>().ToList();
                Assert.True(expectedItems.Count == actualItems.Count, $"{path}: expected {expectedItems.Count} items but got {actualItems.Count}");
                for (var i = 0; i < expectedItems.Count; i++)
                {
                    AssertDeepEqual(expectedItems[i], actualItems[i], $"{path}[{i}]");
                }

                return;
        }

        // Fields, not properties: private and backing fields are state too, and losing them is what this catches.
        Assert.Equal(expected.GetType(), actual.GetType());
        foreach (var field in InstanceFields(expected.GetType()))
        {
            AssertDeepEqual(field.GetValue(expected), field.GetValue(actual), path + "." + field.Name);
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? value.GetType().Name,
    };
}
