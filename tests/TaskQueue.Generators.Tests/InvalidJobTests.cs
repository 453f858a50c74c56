using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TaskQueue.Generators.Tests.Infrastructure;

namespace TaskQueue.Generators.Tests;

public sealed class InvalidJobTests
{
    [Theory]
    [InlineData("public static void Bad(System.IO.Stream input) { }")]
    [InlineData("public static void Bad<T>(T value) { }")]
    [InlineData("private static void Bad(int x) { }")]
    [InlineData("public static int Bad(int x) => x;")]
    [InlineData("public static void Bad(ref int x) { }")]
    [InlineData("public static void Bad(object value) { }")]
    [InlineData("public static void Bad(IDisposable value) { }")]
    [InlineData("public static void Bad(Action callback) { }")]
    [InlineData("public static void Bad(ReadOnlySpan<byte> data) { }")]
    [InlineData("public static void Bad(CancellationToken a, CancellationToken b) { }")]
    [InlineData("public static Task<System.IO.Stream> Bad() => null!;")]
    [InlineData("[Job(MaxRetries = -1)] public static void Bad2() { }")]
    [InlineData("[Job(Timeout = \"soon\")] public static void Bad2() { }")]
    [InlineData("[Job(Timeout = \"00:00:00\")] public static void Bad2() { }")]
    [InlineData("[Job(RetryBaseDelay = \"02:00:00\")] public static void Bad2() { }")]
    [InlineData("[Job(Name = \"has space\")] public static void Bad2() { }")]
    [InlineData("[Job(Queue = \"a:b\")] public static void Bad2() { }")]
    public void Job_with_an_error_gets_no_generated_code_while_valid_jobs_still_do(string badJob)
    {
        var member = badJob.StartsWith('[') ? badJob : "[Job] " + badJob;
        var source = $$"""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using TaskQueue;

            namespace Broken;

            public static class Jobs1
            {
                {{member}}

                [Job] public static void Good(int x) { }
            }
            """;

        var (_, output, sources) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Broken.App", source));

        Assert.DoesNotContain(sources, s => s.HintName.Contains(".Bad", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.HintName == "Broken.Jobs1.Good.g.cs");
        Assert.DoesNotContain(sources, s => s.SourceText.ToString().Contains("Bad", StringComparison.Ordinal));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Compilation_without_valid_jobs_gets_no_registry()
    {
        var source = """
            using TaskQueue;
            namespace Broken;
            public static class Only { [Job] public static void Bad(object o) { } }
            """;

        var (_, _, sources) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Broken.App", source));

        Assert.Empty(sources);
    }

    [Fact]
    public void Duplicate_job_names_emit_the_first_job_only_and_still_compile()
    {
        var source = """
            using TaskQueue;
            namespace Dupes;
            public static class A { [Job(Name = "same")] public static void One(int x) { } }
            public static class B { [Job(Name = "same")] public static void Two(int x) { } }
            """;

        var (_, output, sources) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("Dupes.App", source));

        Assert.Contains(sources, s => s.HintName == "Dupes.A.One.g.cs");
        Assert.DoesNotContain(sources, s => s.HintName == "Dupes.B.Two.g.cs");
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}

public sealed class UnusualShapeTests
{
    [Fact]
    public void Jobs_in_nested_types_in_the_global_namespace_and_with_reserved_names_compile()
    {
        var source = """
            using System.Threading.Tasks;
            using TaskQueue;

            public static class TopLevel
            {
                [Job] public static void Serialize(int value) { }
                [Job(Name = "jobs")] public static void Jobs(string @event) { }
            }

            namespace Deep.Er
            {
                public static class Outer
                {
                    public static class Inner
                    {
                        [Job] public static Task Definition(Inner2 value) => Task.CompletedTask;
                    }

                    public sealed record Inner2(int @int, string @string);
                }

                public sealed class Service
                {
                    [Job] internal void Work(Outer.Inner2 payload, string context, string options) { }
                }
            }
            """;

        var compilation = GeneratorHarness.CompileWithGenerator("Unusual-Shapes.1", source);

        Assert.NotNull(compilation.GetTypeByMetadataName("Jobs+SerializeJob"));
        Assert.NotNull(compilation.GetTypeByMetadataName("Deep.Er.Jobs+DefinitionJob"));
        Assert.NotNull(compilation.GetTypeByMetadataName("Deep.Er.Jobs+Work"));
        Assert.NotNull(compilation.GetTypeByMetadataName("TaskQueue.Generated.UnusualShapes1JobRegistry"));
    }

    [Theory]
    [InlineData(NullableContextOptions.Disable, LanguageVersion.CSharp12)]
    [InlineData(NullableContextOptions.Enable, LanguageVersion.CSharp12)]
    [InlineData(NullableContextOptions.Annotations, LanguageVersion.Latest)]
    [InlineData(NullableContextOptions.Warnings, LanguageVersion.Latest)]
    public void Generated_code_compiles_without_warnings_in_any_nullable_context_from_CSharp_12(NullableContextOptions nullable, LanguageVersion language)
    {
        var compilation = GeneratorHarness.CreateCompilation("Contexts.App", nullable, new CSharpParseOptions(language), Programs.Models, Programs.Behaviour);

        var output = GeneratorHarness.CompileWithGenerator(compilation);

        Assert.NotNull(output.GetTypeByMetadataName("TaskQueue.Generated.ContextsAppJobRegistry"));
    }
}
