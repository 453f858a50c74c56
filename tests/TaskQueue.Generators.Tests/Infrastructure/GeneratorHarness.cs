using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TaskQueue.Generators;

namespace TaskQueue.Generators.Tests.Infrastructure;

/// <summary>Compiles test sources with the job generator and, on request, loads the result.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpCompilation CreateCompilation(string assemblyName, params string[] sources)
        => CreateCompilation(assemblyName, NullableContextOptions.Enable, ParseOptions, sources);

    public static CSharpCompilation CreateCompilation(string assemblyName, NullableContextOptions nullable, CSharpParseOptions parseOptions, params string[] sources)
        => CSharpCompilation.Create(
            assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: nullable));

    public static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(
            [new JobGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns the driver (for caching checks), the generated sources and the output compilation.</summary>
    public static (GeneratorDriver Driver, Compilation Output, ImmutableArray<GeneratedSourceResult> Sources) Run(CSharpCompilation compilation, GeneratorDriver? driver = null)
    {
        driver = (driver ?? CreateDriver()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        var result = driver.GetRunResult();
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        return (driver, output, result.Results.SelectMany(r => r.GeneratedSources).ToImmutableArray());
    }

    /// <summary>Compiles with the generator and fails with every compiler error (and the generated text) when it does not build.</summary>
    public static Compilation CompileWithGenerator(string assemblyName, params string[] sources)
        => CompileWithGenerator(CreateCompilation(assemblyName, sources));

    /// <summary>Like <see cref="CompileWithGenerator(string, string[])"/>, with the System.Text.Json source generator in the same driver (for user JsonSerializerContexts).</summary>
    public static Compilation CompileWithJsonContexts(string assemblyName, params string[] sources)
        => CompileWithGenerator(CreateCompilation(assemblyName, sources), withSystemTextJson: true);

    /// <summary>Runs the job generator and System.Text.Json's; returns the output compilation and only the job generator's sources.</summary>
    public static (Compilation Output, ImmutableArray<GeneratedSourceResult> JobSources) RunWithJsonContexts(CSharpCompilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new JobGenerator().AsSourceGenerator(), SystemTextJsonGenerator.Instance],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        var result = driver.GetRunResult();
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        var ours = result.Results.Single(r => r.Generator.GetGeneratorType() == typeof(JobGenerator));
        return (output, ours.GeneratedSources);
    }

    public static Compilation CompileWithGenerator(CSharpCompilation compilation, bool withSystemTextJson = false)
    {
        var driver = CSharpGeneratorDriver.Create(
            withSystemTextJson ? [new JobGenerator().AsSourceGenerator(), SystemTextJsonGenerator.Instance] : [new JobGenerator().AsSourceGenerator()],
            parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        var (_, output, generated) = Run(compilation, driver);
        // Errors anywhere; warnings only in generated files (test sources may use annotations outside a nullable context on purpose).
        var userTrees = compilation.SyntaxTrees.ToHashSet();
        var errors = output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && !userTrees.Contains(d.Location.SourceTree!)))
            .ToList();
        if (errors.Count > 0)
        {
            var text = string.Join("\n", errors.Take(30).Select(e => e.ToString()))
                + "\n\n" + string.Join("\n\n", generated.Select(g => "// " + g.HintName + "\n" + g.SourceText));
            Assert.Fail("The generated program does not compile:\n" + text);
        }

        return output;
    }

    /// <summary>Emits and loads the compilation into a collectible context (TaskQueue itself is shared with the test).</summary>
    public static Assembly Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
        return context.LoadFromStream(stream);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p =>
            {
                var name = Path.GetFileName(p);
                return name.StartsWith("System.", StringComparison.Ordinal) || name is "System.dll" or "netstandard.dll" or "mscorlib.dll"
                    || name.StartsWith("Microsoft.Extensions.DependencyInjection", StringComparison.Ordinal)
                    || name is "Microsoft.Win32.Primitives.dll";
            })
            .Append(typeof(JobAttribute).Assembly.Location)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
