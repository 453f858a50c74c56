namespace TaskQueue.Tests.Shared;

/// <summary>
/// Payload type shapes and whether the shared model accepts them. Linked into the analyzer tests (the analyzers
/// and the generator agree with <see cref="Accepted"/>) and the generator tests (every accepted shape round-trips
/// with all its state, private fields included), so a shape added here is checked both ways.
/// </summary>
internal static class PayloadShapes
{
    /// <summary>The declarations, in namespace <c>Shapes</c>; needs <c>System</c> and <c>System.Collections.Generic</c>.</summary>
    public const string Source = """
        namespace Shapes
        {
            using System;
            using System.Collections.Generic;

            public sealed record PositionalRecord(string Name, int Count, DateTimeOffset At);
            public sealed record RecordWithInit(string Name) { public int Count { get; init; } public decimal Rate { get; set; } }
            public sealed class BoundClass
            {
                public BoundClass(string name, int count) { Name = name; Count = count; }
                public string Name { get; }
                public int Count { get; }
            }
            public sealed class Settable { public string Name { get; set; } = ""; public long Count { get; set; } }
            public sealed class InitOnly { public string Name { get; init; } = ""; public int Count { get; init; } }
            public sealed class PrivateInit { public string Name { get; private init; } = ""; public int Count { get; private init; } }
            public sealed class RequiredMembers { public required string Name { get; init; } public required int Count { get; set; } public string? Note { get; set; } }
            public sealed class PrivateSet { public string AccountId { get; private set; } = ""; public decimal Balance { get; private set; } }
            public sealed class ProtectedAndInternalSet { public string Name { get; protected set; } = ""; public int Count { get; internal set; } }
            public sealed class GetOnlyAuto { public string AccountId { get; } = ""; public decimal Balance { get; } public List<int> Items { get; } = new(); }
            public sealed class PrivateSetWithField { private string _name = ""; public string Name { get => _name; private set => _name = value; } }
            public sealed class Computed { public int A { get; set; } public int B { get; set; } public int Total => A + B; }
            public class AccountBase { public string Id { get; private set; } = ""; public int Version { get; } }
            public sealed class Savings : AccountBase { public decimal Rate { get; private set; } public string Owner { get; set; } = ""; }
            public struct PrivateSetStruct { public int X { get; private set; } public double Y { get; } public string Label { get; set; } }
            public readonly record struct ReadOnlyStruct(int X, string Label);
            public sealed class Box<T> { public T Value { get; private set; } = default!; public List<T> History { get; } = new(); }
            public sealed class Nested { public Box<Box<PrivateSet>> Inner { get; private set; } = new(); public Dictionary<string, GetOnlyAuto[]> ByName { get; private set; } = new(); }
            public sealed class PublicField { public int X; }
            public sealed class ReadOnlyField { public readonly int X; }
            public sealed class HiddenField { private int _count; public int Count => _count; public void Increment() => _count++; }
            public sealed class PrivateAutoProperty { private int Secret { get; set; } public int Shown { get; set; } }
            public sealed class RequiredBoundToConstructor { public RequiredBoundToConstructor(int x) { X = x; } public required int X { get; init; } public string Name { get; set; } = ""; }
        }
        """;

    /// <summary>Shape name (a job name suffix), the parameter type, and whether the analyzers accept it.</summary>
    public static readonly (string Name, string Type, bool Accepted)[] Table =
    [
        ("PositionalRecord", "Shapes.PositionalRecord", true),
        ("RecordWithInit", "Shapes.RecordWithInit", true),
        ("BoundClass", "Shapes.BoundClass", true),
        ("Settable", "Shapes.Settable", true),
        ("InitOnly", "Shapes.InitOnly", true),
        ("PrivateInit", "Shapes.PrivateInit", true),
        ("RequiredMembers", "Shapes.RequiredMembers", true),
        ("PrivateSet", "Shapes.PrivateSet", true),
        ("ProtectedAndInternalSet", "Shapes.ProtectedAndInternalSet", true),
        ("GetOnlyAuto", "Shapes.GetOnlyAuto", true),
        ("PrivateSetWithField", "Shapes.PrivateSetWithField", true),
        ("Computed", "Shapes.Computed", true),
        ("Inherited", "Shapes.Savings", true),
        ("PrivateSetStruct", "Shapes.PrivateSetStruct", true),
        ("NullablePrivateSetStruct", "Shapes.PrivateSetStruct?", true),
        ("ReadOnlyStruct", "Shapes.ReadOnlyStruct", true),
        ("GenericBox", "Shapes.Box<Shapes.PrivateSet>", true),
        ("NestedGenerics", "Shapes.Nested", true),
        ("RequiredBoundToConstructor", "Shapes.RequiredBoundToConstructor", true),
        ("ListOfPrivateSet", "System.Collections.Generic.List<Shapes.PrivateSet>", true),
        ("PublicField", "Shapes.PublicField", false),
        ("ReadOnlyField", "Shapes.ReadOnlyField", false),
        ("HiddenField", "Shapes.HiddenField", false),
        ("PrivateAutoProperty", "Shapes.PrivateAutoProperty", false),

    ];
}
