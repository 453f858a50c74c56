namespace TaskQueue.Generators.Tests.Infrastructure;

/// <summary>Job sources shared by several tests.</summary>
internal static class Programs
{
    public const string Models = """
        using System;
        using System.Collections.Generic;

        namespace Shop
        {
            public enum Status { Pending, Paid, Shipped = 5 }

            public sealed record Line(string Sku, int Quantity, decimal Price, int Discount = 0);

            public sealed class Customer
            {
                public string Name { get; set; } = "";
                public int? Age { get; set; }
                public List<string> Tags { get; set; } = new();
            }

            public sealed record Order(Guid Id, List<Line> Lines, Dictionary<string, string> Notes, Customer? Customer, Status Status)
            {
                public int LineCount => Lines?.Count ?? 0;
            }

            public readonly record struct Point(double X, double Y);
        }
        """;

    /// <summary>One static job per supported type, each records what it got.</summary>
    public static readonly (string Name, string Type)[] RoundTripTypes =
    [
        ("Bool", "bool"), ("Byte", "byte"), ("SByte", "sbyte"), ("Int16", "short"), ("UInt16", "ushort"),
        ("Int32", "int"), ("UInt32", "uint"), ("Int64", "long"), ("UInt64", "ulong"), ("Single", "float"),
        ("Double", "double"), ("Decimal", "decimal"), ("Char", "char"), ("String", "string?"), ("Guid", "Guid"),
        ("DateTime", "DateTime"), ("DateTimeOffset", "DateTimeOffset"), ("TimeSpan", "TimeSpan"), ("DateOnly", "DateOnly"),
        ("TimeOnly", "TimeOnly"), ("Enum", "Shop.Status"), ("NullableInt", "int?"), ("NullableDouble", "double?"),
        ("IntArray", "int[]?"), ("StringList", "List<string?>?"), ("ReadOnlyList", "IReadOnlyList<long>?"),
        ("Enumerable", "IEnumerable<string?>?"), ("Dictionary", "Dictionary<string, int>?"),
        ("ReadOnlyDictionary", "IReadOnlyDictionary<string, List<int>?>?"), ("NestedList", "List<List<int>?>?"),
        ("Line", "Shop.Line?"), ("Order", "Shop.Order?"), ("Customer", "Shop.Customer?"), ("Point", "Shop.Point"),
        ("NullablePoint", "Shop.Point?"),
    ];

    public static string RoundTripJobs()
    {
        var jobs = string.Join("\n", RoundTripTypes.Select(t =>
            $"    [Job] public static void RoundTrip{t.Name}({t.Type} value) => Recorder.Record(value);"));
        return $$"""
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using TaskQueue;

            namespace RoundTrips;

            public static class Recorder
            {
                public static readonly List<object?> Calls = new();
                public static void Record(params object?[] values) { lock (Calls) { Calls.Add(values); } }
            }

            public static class Handlers
            {
            {{jobs}}
            }
            """;
    }

    /// <summary>One static job per row of <see cref="TaskQueue.Tests.Shared.PayloadShapes.Table"/>, each records what it got.</summary>
    public static string ShapeJobs()
    {
        var jobs = string.Join("\n", TaskQueue.Tests.Shared.PayloadShapes.Table.Select(s =>
            $"    [Job] public static void Shape{s.Name}({s.Type} value) => Recorder.Record(value);"));
        return $$"""
            using System;
            using System.Collections.Generic;
            using TaskQueue;

            namespace ShapeJobs;

            public static class Recorder
            {
                public static readonly List<object?> Calls = new();
                public static void Record(params object?[] values) { lock (Calls) { Calls.Add(values); } }
            }

            public static class Handlers
            {
            {{jobs}}
            }
            """;
    }

    public const string Behaviour = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using TaskQueue;

        namespace Behaviour;

        public static class Seen
        {
            public static readonly List<object?[]> Calls = new();
            public static void Add(params object?[] values) { lock (Calls) { Calls.Add(values); } }
        }

        public static class StaticJobs
        {
            [Job(Priority = Priority.High, MaxRetries = 5)]
            public static Task SendEmail(string to, string subject, CancellationToken cancellationToken)
            {
                Seen.Add(to, subject, cancellationToken);
                return Task.CompletedTask;
            }

            [Job]
            public static void WithDefaults(string name, int count = 7, string? note = null, Shop.Status status = Shop.Status.Paid) => Seen.Add(name, count, note, status);

            [Job]
            public static Task<int> Add(int a, int b) => Task.FromResult(a + b);

            [Job]
            public static ValueTask<Shop.Order?> Echo(Shop.Order? order, JobContext context) { Seen.Add(order, context); return new(order); }

            [Job(Name = "orders.place", Queue = "orders")]
            public static void PlaceOrder(Shop.Order order) => Seen.Add(order);

            [Job]
            public static void NoArgs() => Seen.Add();

            [Job]
            public static void Collides(string options, int client, string payload, DateTimeOffset runAt) => Seen.Add(options, client, payload, runAt);
        }

        public sealed class Counter { public int Next() => ++_value; private int _value; }

        public sealed class InstanceJobs
        {
            private readonly Counter _counter;
            public InstanceJobs(Counter counter) => _counter = counter;

            [Job]
            public async ValueTask<int> Increment(int by, JobContext context, CancellationToken token)
            {
                await Task.Yield();
                Seen.Add(by, context.Name, token);
                return _counter.Next() * by;
            }
        }

        internal static class InternalJobs
        {
            [Job(Timeout = "00:05:00")]
            internal static Task Cleanup(TimeSpan olderThan) => Task.CompletedTask;
        }
        """;
}
