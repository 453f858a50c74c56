using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TaskQueue.Generators.Tests.Infrastructure;

namespace TaskQueue.Generators.Tests;

public sealed class CachingTests
{
    private static readonly IncrementalStepRunReason[] Reusable = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    [Fact]
    public void Second_run_on_the_same_compilation_reuses_every_step()
    {
        var compilation = GeneratorHarness.CreateCompilation("Cache.App", Programs.Models, Programs.Behaviour);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.Clone());

        AssertAllStepsReused(driver);
    }

    [Fact]
    public void Unrelated_edit_in_another_file_reuses_every_step()
    {
        var compilation = GeneratorHarness.CreateCompilation("Cache.App", Programs.Models, Programs.Behaviour);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other { public sealed class Unrelated { public int X { get; set; } } }", GeneratorHarness.ParseOptions, path: "Unrelated.cs"));
        driver = driver.RunGenerators(edited);

        AssertAllStepsReused(driver);
    }

    [Fact]
    public void Editing_a_job_body_changes_no_model()
    {
        var compilation = GeneratorHarness.CreateCompilation("Cache.App", Programs.Models, Programs.Behaviour);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Last();
        var newText = tree.ToString().Replace("public static void NoArgs() => Seen.Add();", "public static void NoArgs() => Seen.Add(1, 2);", StringComparison.Ordinal);
        Assert.NotEqual(tree.ToString(), newText);

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(newText))));

        var run = driver.GetRunResult().Results.Single();
        Assert.All(run.TrackedSteps[TrackingNames.Jobs].SelectMany(s => s.Outputs), o => Assert.Contains(o.Reason, Reusable));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Contains(o.Reason, Reusable));
    }

    [Fact]
    public void Changing_a_job_signature_regenerates()
    {
        var compilation = GeneratorHarness.CreateCompilation("Cache.App", Programs.Models, Programs.Behaviour);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Last();
        var newText = tree.ToString().Replace("public static void NoArgs()", "public static void NoArgs(int extra)", StringComparison.Ordinal).Replace("Seen.Add();", "Seen.Add(extra);", StringComparison.Ordinal);

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(newText))));

        var run = driver.GetRunResult().Results.Single();
        Assert.Contains(run.TrackedSteps[TrackingNames.Jobs].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(run.GeneratedSources, s => s.SourceText.ToString().Contains("EnqueueAsync(int extra,", StringComparison.Ordinal));
    }

    [Fact]
    public void Declaring_a_type_in_a_json_context_in_another_file_regenerates_the_job_that_needed_it()
    {
        const string job = """
            namespace Ctx
            {
                public sealed class Money { public decimal Amount; }

                public static class PayJobs
                {
                    [TaskQueue.Job]
                    public static System.Threading.Tasks.Task Pay(Money amount) => System.Threading.Tasks.Task.CompletedTask;
                }
            }
            """;
        const string context = """
            namespace Ctx
            {
                [System.Text.Json.Serialization.JsonSerializable(typeof(System.Uri))]
                internal partial class PayJsonContext : System.Text.Json.Serialization.JsonSerializerContext
                {
                }
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation("Cache.App", job, context);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.DoesNotContain(driver.GetRunResult().GeneratedTrees, t => t.ToString().Contains("class Pay", StringComparison.Ordinal));

        var tree = compilation.SyntaxTrees.Last();
        var declared = tree.ToString().Replace("typeof(System.Uri))]", "typeof(System.Uri))]\n    [System.Text.Json.Serialization.JsonSerializable(typeof(Money))]", StringComparison.Ordinal);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(declared))));

        var run = driver.GetRunResult().Results.Single();
        Assert.Contains(run.TrackedSteps[TrackingNames.Jobs].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(run.GeneratedSources, s => s.SourceText.ToString().Contains("global::Ctx.PayJsonContext.Default.Money", StringComparison.Ordinal));

        // And an edit that leaves the context's declarations alone changes no model.
        var current = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(declared)));
        var currentTree = current.SyntaxTrees.Last();
        var commented = currentTree.ToString() + "\n// a comment\n";
        driver = driver.RunGenerators(current.ReplaceSyntaxTree(currentTree, currentTree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(commented))));
        run = driver.GetRunResult().Results.Single();
        Assert.All(run.TrackedSteps[TrackingNames.Jobs].SelectMany(s => s.Outputs), o => Assert.Contains(o.Reason, Reusable));
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_locations_or_compilations()
    {
        var compilation = GeneratorHarness.CreateCompilation("Cache.App", Programs.Models, Programs.Behaviour, Programs.RoundTripJobs());
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var run = driver.GetRunResult().Results.Single();

        var visited = 0;
        foreach (var name in new[] { TrackingNames.Jobs, TrackingNames.CollectedJobs })
        {
            foreach (var output in run.TrackedSteps[name].SelectMany(s => s.Outputs))
            {
                AssertNoRoslynObjects(output.Value, name, new HashSet<object>(ReferenceEqualityComparer.Instance), ref visited);
            }
        }

        Assert.True(visited > 100, $"The walk should have looked at the models, saw only {visited} objects.");
    }

    private static void AssertAllStepsReused(GeneratorDriver driver)
    {
        var run = driver.GetRunResult().Results.Single();
        foreach (var name in TrackingNames.All)
        {
            Assert.True(run.TrackedSteps.ContainsKey(name), $"Step {name} was not tracked.");
            foreach (var step in run.TrackedSteps[name])
            {
                Assert.All(step.Outputs, o => Assert.True(Reusable.Contains(o.Reason), $"Step {name} output was {o.Reason}."));
            }
        }

        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Contains(o.Reason, Reusable));
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen, ref int visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or SyntaxTree or Location or Compilation or SemanticModel or AttributeData,
            $"{path} holds a {value.GetType().FullName}, which breaks incremental caching.");
        if (!value.GetType().IsValueType && !seen.Add(value))
        {
            return;
        }

        visited++;
        if (value is IEnumerable sequence)
        {
            var i = 0;
            foreach (var item in sequence)
            {
                AssertNoRoslynObjects(item, $"{path}[{i++}]", seen, ref visited);
            }
        }

        for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertNoRoslynObjects(field.GetValue(value), path + "." + field.Name, seen, ref visited);
            }
        }
    }
}
