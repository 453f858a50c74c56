using Microsoft.CodeAnalysis;
using TaskQueue.Generators.Shared;
using TaskQueue.Generators.Tests.Infrastructure;

namespace TaskQueue.Generators.Tests;

public sealed class JobMethodInspectorTests
{
    private const string Types = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using TaskQueue;

        namespace Inspect;

        public interface ILogger { }
        public sealed class Customer { public string Name { get; set; } = ""; public ILogger? Logger { get; set; } }
        public sealed record Order(int Id, Customer Customer);
        public sealed class Node { public int Value { get; set; } public List<Node> Children { get; set; } = new(); }
        public abstract class Shape { public int Sides { get; set; } }
        public sealed class NoCtor { public NoCtor(string unrelated) { } public int X { get; } }
        public sealed class WithField { public int X; }
        public sealed record Wrapper<T>(T Value);
        public sealed record Good(string Name, List<int> Values, Dictionary<string, Wrapper<int>?>? Children);
        public sealed record Holder(Dictionary<string, Order> Children);
        public sealed class Bag : List<int> { public string Label { get; set; } = ""; }
        """;

    [Theory]
    [InlineData("Order order", "order.Customer.Logger", "interfaces")]
    [InlineData("Holder holder", "holder.Children[].Customer.Logger", "interfaces")]
    [InlineData("List<Order> orders", "orders[].Customer.Logger", "interfaces")]
    [InlineData("Node node", "node.Children[]", "cyclic")]
    [InlineData("Shape shape", "shape", "abstract")]
    [InlineData("NoCtor value", "value", "constructor")]
    [InlineData("WithField value", "value", "public field 'X'")]
    [InlineData("object value", "value", "'object'")]
    [InlineData("dynamic value", "value", "'dynamic'")]
    [InlineData("Action value", "value", "delegates")]
    [InlineData("MemoryStream value", "value", "streams")]
    [InlineData("Task value", "value", "tasks")]
    [InlineData("Dictionary<int, string> value", "value", "keys must be strings")]
    [InlineData("int[,] value", "value", "multi-dimensional")]
    [InlineData("Uri value", "value", "framework type")]
    [InlineData("Bag bag", "bag", "custom collection")]
    [InlineData("Wrapper<Stream> value", "value.Value", "streams")]
    public void Unsupported_parameter_type_reports_reason_and_member_path(string parameter, string path, string reason)
    {
        var problem = Assert.Single(Inspect($"[Job] public static void Run({parameter}) {{ }}").Problems);

        Assert.Equal(JobProblemKind.UnsupportedParameterType, problem.Kind);
        Assert.Equal("Run", problem.Arguments[0]);
        Assert.Contains(reason, problem.Arguments[3], StringComparison.Ordinal);
        Assert.Equal(path, problem.Arguments[4]);
        Assert.NotNull(problem.Location);
        Assert.True(problem.Location!.IsInSource);
    }

    [Fact]
    public void Ref_struct_parameter_is_unsupported()
    {
        var problem = Assert.Single(Inspect("[Job] public static void Run(Span<int> data) { }").Problems);

        Assert.Contains("ref structs", problem.Arguments[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Supported_graph_has_no_problems_and_a_shape_per_parameter()
    {
        var inspection = Inspect("[Job] public static Task<Good> Run(Good good, Wrapper<int> wrapped, int? n, CancellationToken ct, JobContext context) => null!;");

        Assert.Empty(inspection.Problems);
        Assert.Equal(
            [JobParameterRole.Payload, JobParameterRole.Payload, JobParameterRole.Payload, JobParameterRole.CancellationToken, JobParameterRole.JobContext],
            inspection.Parameters.Select(p => p.Role));
        Assert.Equal(PayloadTypeKind.Object, inspection.Parameters[0].Shape!.Kind);
        Assert.Equal(["name", "values", "children"], inspection.Parameters[0].Shape!.Members.Select(m => m.JsonName));
        Assert.Equal(JobReturnKind.TaskOfT, inspection.ReturnKind);
        Assert.NotNull(inspection.ResultShape);
    }

    [Theory]
    [InlineData("[Job] public static void Run<T>(int x) { }", nameof(JobProblemKind.GenericMethod))]
    [InlineData("[Job] public static void Run(ref int x) { }", nameof(JobProblemKind.ByRefParameter))]
    [InlineData("[Job] public static void Run(out int x) { x = 0; }", nameof(JobProblemKind.ByRefParameter))]
    [InlineData("[Job] public static void Run(in int x) { }", nameof(JobProblemKind.ByRefParameter))]
    [InlineData("[Job] public static void Run(params int[] x) { }", nameof(JobProblemKind.ParamsParameter))]
    [InlineData("[Job] private static void Run() { }", nameof(JobProblemKind.InaccessibleMethod))]
    [InlineData("[Job] protected static void Run() { }", nameof(JobProblemKind.InaccessibleMethod))]
    [InlineData("[Job] public static int Run() => 1;", nameof(JobProblemKind.UnsupportedReturnType))]
    [InlineData("[Job] public static IEnumerable<int> Run() => null!;", nameof(JobProblemKind.UnsupportedReturnType))]
    [InlineData("[Job] public static Task<ILogger> Run() => null!;", nameof(JobProblemKind.UnsupportedResultType))]
    [InlineData("[Job] public static void Run(CancellationToken a, CancellationToken b) { }", nameof(JobProblemKind.DuplicateCancellationToken))]
    [InlineData("[Job] public static void Run(JobContext a, JobContext b) { }", nameof(JobProblemKind.DuplicateJobContext))]
    [InlineData("[Job(MaxRetries = -1)] public static void Run() { }", nameof(JobProblemKind.NegativeMaxRetries))]
    [InlineData("[Job(Timeout = \"five minutes\")] public static void Run() { }", nameof(JobProblemKind.UnparsableTimeSpan))]
    [InlineData("[Job(Timeout = \"-00:00:01\")] public static void Run() { }", nameof(JobProblemKind.NonPositiveTimeout))]
    [InlineData("[Job(RetryBaseDelay = \"x\")] public static void Run() { }", nameof(JobProblemKind.UnparsableTimeSpan))]
    [InlineData("[Job(RetryMaxDelay = \"-00:00:01\", RetryBaseDelay = \"-00:00:02\")] public static void Run() { }", nameof(JobProblemKind.NegativeRetryDelay))]
    [InlineData("[Job(RetryBaseDelay = \"00:10:00\", RetryMaxDelay = \"00:01:00\")] public static void Run() { }", nameof(JobProblemKind.RetryBaseDelayAboveMax))]
    [InlineData("[Job(Name = \"no spaces allowed\")] public static void Run() { }", nameof(JobProblemKind.InvalidJobName))]
    [InlineData("[Job(Queue = \"no:colons\")] public static void Run() { }", nameof(JobProblemKind.InvalidQueueName))]
    [InlineData("[Job(Priority = (Priority)9)] public static void Run() { }", nameof(JobProblemKind.UndefinedEnumValue))]
    public void Method_shape_problems_are_reported(string member, string expectedKind)
    {
        var expected = Enum.Parse<JobProblemKind>(expectedKind);
        var problems = Inspect(member).Problems;

        Assert.Contains(problems, p => p.Kind == expected && p.Location is not null);
        Assert.True(Inspect(member).HasErrors);
    }

    [Fact]
    public void Attribute_problem_points_at_the_argument()
    {
        var problem = Assert.Single(Inspect("[Job(MaxRetries = -1)] public static void Run() { }").Problems);

        Assert.Equal("-1", problem.Location!.SourceTree!.ToString().Substring(problem.Location.SourceSpan.Start, problem.Location.SourceSpan.Length));
        Assert.Equal(["Run", "-1"], problem.Arguments.ToArray());
    }

    [Fact]
    public void Job_in_a_private_nested_type_is_inaccessible()
    {
        var compilation = GeneratorHarness.CreateCompilation("Inspect.App", Types + """
            public static class Outer { private static class Hidden { [Job] public static void Run() { } } }
            """);
        var method = compilation.GetTypeByMetadataName("Inspect.Outer+Hidden")!.GetMembers("Run").OfType<IMethodSymbol>().Single();

        var inspection = JobMethodInspector.Inspect(method, method.GetAttributes().Single());

        Assert.Contains(inspection.Problems, p => p.Kind == JobProblemKind.InaccessibleContainingType);
    }

    [Theory]
    [InlineData("public abstract class Host { [Job] public void Run() { } }", "abstract")]
    [InlineData("public struct Host { [Job] public void Run() { } }", "structs")]
    public void Instance_job_on_a_type_DI_cannot_create_is_reported(string declaration, string reason)
    {
        var compilation = GeneratorHarness.CreateCompilation("Inspect.App", Types + declaration);
        var method = compilation.GetTypeByMetadataName("Inspect.Host")!.GetMembers("Run").OfType<IMethodSymbol>().Single();

        var problem = Assert.Single(JobMethodInspector.Inspect(method, method.GetAttributes().Single()).Problems);

        Assert.Equal(JobProblemKind.UnresolvableInstanceType, problem.Kind);
        Assert.Contains(reason, problem.Arguments[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("URLValue", "urlValue")]
    [InlineData("Id", "id")]
    [InlineData("ID", "id")]
    [InlineData("name", "name")]
    [InlineData("IOStream", "ioStream")]
    public void Property_names_are_camel_cased_like_System_Text_Json(string name, string expected)
        => Assert.Equal(expected, PayloadTypeAnalyzer.CamelCase(name));

    private static JobMethodInspection Inspect(string member)
    {
        var compilation = GeneratorHarness.CreateCompilation("Inspect.App", Types + "public static class Host { " + member + " }");
        var method = compilation.GetTypeByMetadataName("Inspect.Host")!.GetMembers("Run").OfType<IMethodSymbol>().Single();
        return JobMethodInspector.Inspect(method, method.GetAttributes().Single(a => a.AttributeClass?.Name == "JobAttribute"));
    }
}
