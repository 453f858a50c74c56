using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TaskQueue.Generators;

namespace TaskQueue.IntegrationTests;

/// <summary>
/// Every C# block of the README and of the packages' READMEs compiles as written, with the using lines it shows, the SDK's implicit usings
/// and the job generator: each block is a file of an app called MyApp, built against the shipped assemblies.
/// </summary>
public sealed class ReadmeSnippetTests
{
    // What Microsoft.NET.Sdk puts in scope with ImplicitUsings enabled (the dotnet new console default).
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    private static readonly string[] s_readmes =
        ["README.md", "src/TaskQueue/README.md", "src/TaskQueue.Hosting/README.md", "src/TaskQueue.Redis/README.md"];

    public static TheoryData<string> Snippets()
    {
        var data = new TheoryData<string>();
        foreach (var snippet in s_readmes.SelectMany(ReadmeSnippets.Read))
        {
            data.Add(snippet.ToString());
        }

        return data;
    }

    [Fact]
    public void The_readme_has_csharp_snippets()
        => Assert.True(ReadmeSnippets.Read("README.md").Count >= 3, "the README's C# blocks were not found");

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Readme_snippet_compiles_as_written(string where)
    {
        var snippet = s_readmes.SelectMany(ReadmeSnippets.Read).Single(s => s.ToString() == where);
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var tree = CSharpSyntaxTree.ParseText(snippet.Code, parseOptions, path: where);
        var isProgram = tree.GetRoot().DescendantNodes().OfType<GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "MyApp",
            [tree, CSharpSyntaxTree.ParseText(ImplicitUsings, parseOptions, path: "ImplicitUsings.cs")],
            s_references.Value,
            new CSharpCompilationOptions(
                isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable));

        CSharpGeneratorDriver.Create([new JobGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        // Warnings count: the house builds with warnings as errors, and so would a newcomer who copies the snippet.
        var problems = generatorDiagnostics.Concat(output.GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();
        Assert.True(problems.Count == 0, $"{where} does not compile:\n{string.Join('\n', problems)}\n\n{snippet.Code}");
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string[] shipped = ["TaskQueue.dll", "TaskQueue.Hosting.dll", "TaskQueue.Redis.dll", "TaskQueue.Dashboard.dll"];
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p =>
            {
                var name = Path.GetFileName(p);
                return name.StartsWith("System.", StringComparison.Ordinal) || name is "System.dll" or "netstandard.dll" or "mscorlib.dll"
                    || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal)
                    || name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
                    || name is "StackExchange.Redis.dll" || shipped.Contains(name);
            })
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}
