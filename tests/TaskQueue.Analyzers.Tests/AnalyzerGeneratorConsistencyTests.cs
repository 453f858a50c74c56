using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TaskQueue.Analyzers.Tests.Verifiers;
using TaskQueue.Generators;
using TaskQueue.Tests.Shared;

namespace TaskQueue.Analyzers.Tests;

/// <summary>
/// For many parameter types and method shapes: the analyzers report an error exactly when the generator
/// emits nothing for the job. Both use the shared model; this guards the glue on either side.
/// </summary>
public sealed class AnalyzerGeneratorConsistencyTests
{
    private const string Types = """
        public enum Color { Red, Green }
        public sealed record Line(string Sku, int Quantity);
        public sealed record Order(System.Guid Id, System.Collections.Generic.List<Line> Lines);
        public sealed class Settable { public string Name { get; set; } = ""; public int Count { get; set; } }
        public struct Point { public int X { get; set; } public int Y { get; set; } }
        public interface IShape { }
        public abstract class Shape { }
        public sealed class NoCtor { private NoCtor() { } public int X { get; set; } }
        public sealed class Node { public Node Next { get; set; } }
        public sealed class WithField { public int X; }
        public sealed class HoldsLogger { public IShape Shape { get; set; } }
        public sealed class HoldsStream { public System.IO.Stream Body { get; set; } }
        public sealed class Pair<T> { public T First { get; set; } }
        public sealed class Required { public required int X { get; init; } }
        public sealed class Money { public decimal Amount; }
        public sealed class Undeclared { public decimal Amount; }
        public sealed record HoldsMoney(string Id, Money Total);
        public sealed record HoldsUndeclared(string Id, Undeclared Value);
        public sealed class Tree { public System.Collections.Generic.List<Tree> Children { get; set; } }
        public sealed class WriteOnlyFee { public decimal Amount; }

        [System.Text.Json.Serialization.JsonSerializable(typeof(Money))]
        [System.Text.Json.Serialization.JsonSerializable(typeof(Tree))]
        [System.Text.Json.Serialization.JsonSerializable(typeof(System.Version))]
        [System.Text.Json.Serialization.JsonSerializable(typeof(System.Collections.Generic.SortedSet<string>), TypeInfoPropertyName = "Names")]
        [System.Text.Json.Serialization.JsonSerializable(typeof(WriteOnlyFee), GenerationMode = System.Text.Json.Serialization.JsonSourceGenerationMode.Serialization)]
        [System.Text.Json.Serialization.JsonSerializable(typeof(System.Action))]
        public partial class AppJsonContext : System.Text.Json.Serialization.JsonSerializerContext
        {
            public AppJsonContext() : base(null) { }
            protected override System.Text.Json.JsonSerializerOptions GeneratedSerializerOptions => null;
            public override System.Text.Json.Serialization.Metadata.JsonTypeInfo GetTypeInfo(System.Type type) => null;
        }
        """;

    /// <summary>Types only the user's JsonSerializerContext can handle: declared (emitted), missing or unusable (skipped).</summary>
    private static readonly (string Type, bool Emitted)[] ContextTable =
    [
        ("Money", true), ("Money[]", true), ("System.Collections.Generic.List<Money>", true), ("System.Collections.Generic.Dictionary<string, Money>", true),
        ("HoldsMoney", true), ("Tree", true), ("System.Version", true), ("System.Collections.Generic.SortedSet<string>", true),
        ("Undeclared", false), ("Undeclared[]", false), ("HoldsUndeclared", false), ("System.Numerics.BigInteger", false),
        ("System.Collections.Generic.SortedSet<int>", false), ("WriteOnlyFee", false), ("System.Action", false),
    ];

    private static readonly string[] TypeTable =
    [
        "bool", "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong", "float", "double", "decimal", "char", "string",
        "System.Guid", "System.DateTime", "System.DateTimeOffset", "System.TimeSpan", "System.DateOnly", "System.TimeOnly",
        "Color", "int?", "Color?", "Point?", "System.Guid?",
        "int[]", "string[][]", "Line[]", "System.Collections.Generic.List<Order>", "System.Collections.Generic.IList<int>",
        "System.Collections.Generic.IReadOnlyList<string>", "System.Collections.Generic.IEnumerable<long>",
        "System.Collections.Generic.ICollection<Line>", "System.Collections.Generic.IReadOnlyCollection<Point>",
        "System.Collections.Generic.Dictionary<string, int>", "System.Collections.Generic.IDictionary<string, Line>",
        "System.Collections.Generic.IReadOnlyDictionary<string, string[]>",
        "Line", "Order", "Settable", "Point", "Pair<int>", "Pair<Order>", "Required",
        "object", "dynamic", "System.Func<int>", "System.IO.Stream", "System.IO.MemoryStream",
        "System.Threading.Tasks.Task", "System.Threading.Tasks.Task<int>", "System.IDisposable", "IShape", "Shape", "NoCtor", "Node",
        "WithField", "HoldsLogger", "HoldsStream", "Pair<System.IO.Stream>", "System.Collections.Generic.Dictionary<int, string>",
        "System.Collections.Generic.List<object>", "int[,]", "System.Uri", "System.Text.StringBuilder", "System.ReadOnlySpan<byte>",
        "System.Span<int>", "int*", "nint", "System.Collections.Generic.HashSet<int>", "System.Collections.Generic.List<System.Action>",
        "System.Type", "System.Exception", "System.Threading.CancellationTokenSource",
        .. ContextTable.Select(c => c.Type),
    ];

    public static TheoryData<string> ParameterTypes() => new(TypeTable);

    [Fact]
    public void The_type_tables_do_not_overlap()
    {
        // xunit silently merges identical theory rows, so an overlap would quietly drop a case.
        var duplicates = TypeTable.GroupBy(t => t, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "listed twice: " + string.Join(", ", duplicates));
    }

    public static TheoryData<string, string> MethodShapes() => new()
    {
        { "[Job] public static Task Ok(string s) => Task.CompletedTask;", "Ok" },
        { "[Job] public static Task<Order> OkResult() => Task.FromResult<Order>(null);", "OkResult" },
        { "[Job] public static Task<System.IO.Stream> BadResult() => Task.FromResult<System.IO.Stream>(null);", "BadResult" },
        { "[Job] public static Task<Money> ContextResult() => Task.FromResult<Money>(null);", "ContextResult" },
        { "[Job] public static Task<HoldsUndeclared> MissingContextResult() => Task.FromResult<HoldsUndeclared>(null);", "MissingContextResult" },
        { "[Job] public static int BadReturn() => 1;", "BadReturn" },
        { "[Job] public static Task Generic<T>(int x) => Task.CompletedTask;", "Generic" },
        { "[Job] public static void RefParam(ref int x) { }", "RefParam" },
        { "[Job] public static void ParamsParam(params int[] x) { }", "ParamsParam" },
        { "[Job] private static Task Hidden() => Task.CompletedTask;", "Hidden" },
        { "[Job] public static Task TwoTokens(CancellationToken a, CancellationToken b) => Task.CompletedTask;", "TwoTokens" },
        { "[Job(MaxRetries = -1)] public static Task NegativeRetries() => Task.CompletedTask;", "NegativeRetries" },
        { "[Job(Timeout = \"soon\")] public static Task BadTimeout() => Task.CompletedTask;", "BadTimeout" },
        { "[Job(Timeout = \"00:00:00\")] public static Task ZeroTimeout() => Task.CompletedTask;", "ZeroTimeout" },
        { "[Job(Queue = \"a b\")] public static Task BadQueue() => Task.CompletedTask;", "BadQueue" },
        { "[Job(Name = \"\")] public static Task EmptyName() => Task.CompletedTask;", "EmptyName" },
        { "[Job(RetryBaseDelay = \"02:00:00\", RetryMaxDelay = \"01:00:00\")] public static Task BaseAboveMax() => Task.CompletedTask;", "BaseAboveMax" },
        { "[Job(Priority = (Priority)9)] public static Task BadPriority() => Task.CompletedTask;", "BadPriority" },
        { "[Job(Name = \"okname\", Queue = \"mail\", Timeout = \"00:01:00\")] public static Task GoodValues(JobContext context) => Task.CompletedTask;", "okname" },
    };

    [Theory]
    [MemberData(nameof(ParameterTypes))]
    public async Task Analyzer_reports_a_parameter_type_exactly_when_the_generator_skips_the_job(string type)
    {
        var job = $"[Job] public static Task Run({type} value) => Task.CompletedTask;";
        await AssertConsistentAsync(job, "Run");
    }

    [Theory]
    [MemberData(nameof(MethodShapes))]
    public async Task Analyzer_reports_a_method_shape_exactly_when_the_generator_skips_the_job(string job, string proxyName)
        => await AssertConsistentAsync(job, proxyName);

    public static TheoryData<string, bool> ContextTypes()
    {
        var data = new TheoryData<string, bool>();
        foreach (var (type, emitted) in ContextTable)
        {
            data.Add(type, emitted);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ContextTypes))]
    public async Task Generator_emits_a_job_whose_type_the_context_declares_and_skips_one_it_lacks(string type, bool emitted)
    {
        // The consistency theory above holds these rows too; this pins which way each goes.
        var compilation = CreateCompilation($"[Job] public static Task Run({type} value) => Task.CompletedTask;");
        Assert.Equal(emitted, GeneratorEmits(compilation, "Run"));
        var errors = await AnalyzerErrorsAsync(compilation);
        Assert.Equal(emitted, errors.IsEmpty);
    }

    public static TheoryData<string> PayloadShapeNames() => new(PayloadShapes.Table.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(PayloadShapeNames))]
    public async Task Analyzer_and_generator_accept_exactly_the_payload_shapes_the_shared_table_accepts(string name)
    {
        // The generator tests round-trip every accepted row of the same table.
        var (_, type, accepted) = PayloadShapes.Table.Single(s => s.Name == name);
        var compilation = CreateCompilation($"[Job] public static Task Run({type} value) => Task.CompletedTask;");
        Assert.Equal(accepted, GeneratorEmits(compilation, "Run"));
        var errors = await AnalyzerErrorsAsync(compilation);
        Assert.True(accepted == errors.IsEmpty, $"{name}: accepted={accepted}, analyzer errors: {string.Join("; ", errors.Select(e => e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Theory]
    [InlineData("public sealed class Foreign { public int X { get; set; } public int Y { get; init; } }", true)]
    [InlineData("public sealed class Foreign { public int X { get; private set; } }", true)]
    [InlineData("public sealed class Foreign { public int X { get; } }", true)]
    [InlineData("public sealed class Foreign { private int _x; public int X => _x; public void Bump() => _x++; }", false)]
    [InlineData("public sealed class Foreign { private int _x; public int X { get => _x; private set => _x = value; } }", false)]
    public async Task Types_from_another_assembly_are_accepted_only_when_metadata_shows_how_their_state_comes_back(string declaration, bool accepted)
    {
        // Metadata hides private members: an auto-property's accessor is marked compiler-generated (its backing field
        // is reachable), anything else get-only could hide state behind a private setter, so it is refused.
        var library = CSharpCompilation.Create("ForeignLib", [CSharpSyntaxTree.ParseText("namespace Lib { " + declaration + " }")], References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Assert.True(library.Emit(image).Success);
        var compilation = CreateCompilation("[Job] public static Task Run(Lib.Foreign value) => Task.CompletedTask;")
            .AddReferences(MetadataReference.CreateFromImage(image.ToArray()));

        Assert.Equal(accepted, GeneratorEmits(compilation, "Run"));
        Assert.Equal(accepted, (await AnalyzerErrorsAsync(compilation)).IsEmpty);
    }

    [Fact]
    public void The_type_table_holds_both_supported_and_unsupported_types()
    {
        // Guards against a table (or a broken generator reference) that makes every case trivially agree.
        var verdicts = TypeTable.Select(t => GeneratorEmits($"[Job] public static Task Run({t} value) => Task.CompletedTask;", "Run")).ToList();
        Assert.True(verdicts.Count(v => v) >= 30, $"supported: {verdicts.Count(v => v)}");
        Assert.True(verdicts.Count(v => !v) >= 25, $"unsupported: {verdicts.Count(v => !v)}");
    }

    private static async Task AssertConsistentAsync(string job, string methodName)
    {
        var compilation = CreateCompilation(job);
        var generatorEmits = GeneratorEmits(compilation, methodName);
        var errors = await AnalyzerErrorsAsync(compilation);
        Assert.True(
            generatorEmits == errors.IsEmpty,
            $"generator emits: {generatorEmits}; analyzer errors: [{string.Join("; ", errors.Select<Diagnostic, string>(e => e.Id + " " + e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))}] for: {job}");
    }

    private static bool GeneratorEmits(string job, string methodName) => GeneratorEmits(CreateCompilation(job), methodName);

    private static bool GeneratorEmits(CSharpCompilation compilation, string methodName)
    {
        var driver = CSharpGeneratorDriver.Create(new JobGenerator()).RunGenerators(compilation);
        var result = driver.GetRunResult();
        Assert.Empty(result.Diagnostics);

        // A job is emitted when its proxy class (Jobs.<Name>) appears in a generated file.
        return result.GeneratedTrees.Any(t => t.ToString().Contains("static partial class " + methodName, StringComparison.Ordinal));
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzerErrorsAsync(CSharpCompilation compilation)
    {
        var withAnalyzers = compilation.WithAnalyzers([new JobDeclarationAnalyzer()]);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        return diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
    }

    private static CSharpCompilation CreateCompilation(string job)
    {
        var source = $$"""
            using System.Threading;
            using System.Threading.Tasks;
            using TaskQueue;
            namespace App
            {
            {{Types}}
                public static unsafe class Holder
                {
                    {{job}}
                }
            }
            """;
        return CSharpCompilation.Create(
            "ConsistencyTest",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)), CSharpSyntaxTree.ParseText(PayloadShapes.Source, new CSharpParseOptions(LanguageVersion.Latest))],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The running framework's assemblies plus the TaskQueue core: enough for every type in the table.
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return trusted.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(TestReferences.TaskQueueCore)
            .Append(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location))
            .ToImmutableArray();
    });
}
