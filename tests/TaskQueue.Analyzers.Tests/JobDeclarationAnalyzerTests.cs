using Microsoft.CodeAnalysis.Testing;
using Verify = TaskQueue.Analyzers.Tests.Verifiers.AnalyzerVerifier<TaskQueue.Analyzers.JobDeclarationAnalyzer>;

namespace TaskQueue.Analyzers.Tests;

public sealed class JobDeclarationAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using TaskQueue;

        """;

    private static string Code(string body) => Usings + "namespace App\n{\n" + body + "\n}\n";

    [Fact]
    public async Task Every_supported_parameter_and_result_kind_produces_no_diagnostic()
    {
        var source = Code("""
            public enum Color { Red, Green }
            public sealed record Line(string Sku, int Quantity, decimal Price);
            public sealed record Order(Guid Id, List<Line> Lines, Dictionary<string, string> Tags, Color Color, DateTimeOffset? ShipBy);
            public sealed class Settings { public string Name { get; set; } = ""; public int[] Values { get; set; } = []; }
            public struct Point { public int X { get; set; } public int Y { get; set; } }
            public sealed class Address
            {
                public Address(string street, string city) { Street = street; City = city; }
                public string Street { get; }
                public string City { get; }
            }

            public static class Jobs1
            {
                [Job]
                public static Task Primitives(bool a, byte b, sbyte c, short d, ushort e, int f, uint g, long h, ulong i, float j, double k, decimal l, char m, string n) => Task.CompletedTask;

                [Job]
                public static Task Times(Guid a, DateTime b, DateTimeOffset c, TimeSpan d, DateOnly e, TimeOnly f, Color g, int? h, Color? i) => Task.CompletedTask;

                [Job]
                public static Task Collections(int[] a, List<string> b, IList<int> c, IReadOnlyList<Line> d, IEnumerable<Guid> e, ICollection<long> f, IReadOnlyCollection<string> g,
                    Dictionary<string, int> h, IDictionary<string, Line> i, IReadOnlyDictionary<string, List<int>> j, string[][] k) => Task.CompletedTask;

                [Job]
                public static Task Objects(Order order, Settings settings, Point point, Address address, Point? maybe) => Task.CompletedTask;

                [Job]
                public static Task Injected(string to, CancellationToken ct, JobContext context) => Task.CompletedTask;

                [Job]
                public static Task<Order> ReturnsRecord() => Task.FromResult<Order>(null);

                [Job]
                public static ValueTask<int> ReturnsValue() => new(1);

                [Job]
                public static ValueTask ReturnsValueTask() => default;

                [Job]
                public static void ReturnsVoid(string s) { }
            }

            public sealed class InstanceJobs
            {
                [Job(Name = "instance:job", Queue = "emails-2", Priority = Priority.High, MaxRetries = 0, Timeout = "00:05:00",
                     Retry = RetryStrategy.Linear, RetryBaseDelay = "00:00:02", RetryMaxDelay = "1.00:00:00")]
                public Task Run(string s) => Task.CompletedTask;

                [Job]
                internal Task RunInternal(string s) => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Stream_parameter_is_reported_with_parameter_type_and_reason()
    {
        var source = Code("""
            public static class Uploads
            {
                [Job]
                public static Task Upload(Stream {|#0:content|}) => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(source, new DiagnosticResult(DiagnosticDescriptors.UnsupportedParameterType).WithLocation(0)
            .WithArguments("Upload", "content", "System.IO.Stream", "streams cannot be stored in a job payload; pass a path, URL or blob id instead", "content"));
    }

    [Fact]
    public async Task Nested_unsupported_member_is_reported_with_its_member_path()
    {
        var source = Code("""
            public interface ILogger { }
            public sealed class Customer { public string Name { get; set; } = ""; public ILogger Logger { get; set; } }
            public sealed record Order(Guid Id, Customer Customer);

            public static class Orders
            {
                [Job]
                public static Task Ship(Order {|#0:order|}) => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(source, new DiagnosticResult(DiagnosticDescriptors.UnsupportedParameterType).WithLocation(0)
            .WithArguments("Ship", "order", "App.ILogger", "interfaces cannot be deserialized; use a concrete type", "order.Customer.Logger"));
    }

    [Fact]
    public async Task Unsupported_parameter_kinds_are_each_reported()
    {
        var source = Code("""
            public abstract class Shape { }
            public sealed class NoCtor { private NoCtor() { } public int X { get; set; } }
            public sealed class Node { public Node Next { get; set; } }
            public static class Bad
            {
                [Job]
                public static Task Run(object {|TQ0001:a|}, dynamic {|TQ0001:b|}, Action {|TQ0001:c|}, Task {|TQ0001:d|}, IDisposable {|TQ0001:e|},
                    Shape {|TQ0001:f|}, NoCtor {|TQ0001:g|}, Node {|TQ0001:h|}, Dictionary<int, string> {|TQ0001:i|}, MemoryStream {|TQ0001:j|},
                    List<Func<int>> {|TQ0001:k|}, int[,] {|TQ0001:l|}) => Task.CompletedTask;

                [Job]
                public static void RefStruct(ReadOnlySpan<byte> {|TQ0001:data|}) { }
            }
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Unsupported_result_type_is_reported()
    {
        var source = Code("""
            public static class Results
            {
                [Job]
                public static {|TQ0002:Task<Stream>|} Open() => Task.FromResult<Stream>(null);
            }
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Type_missing_from_the_users_json_context_is_reported_with_the_context_name()
    {
        var source = Code("""
            public sealed class Money { private Money() { } public decimal Amount { get; } public static Money Of(decimal a) => new(); }
            public sealed class Other { private Other() { } }

            [System.Text.Json.Serialization.JsonSerializable(typeof(Other))]
            public partial class {|#1:AppJsonContext|} : System.Text.Json.Serialization.JsonSerializerContext
            {
                public AppJsonContext() : base(null) { }
                protected override System.Text.Json.JsonSerializerOptions GeneratedSerializerOptions => null;
                public override System.Text.Json.Serialization.Metadata.JsonTypeInfo GetTypeInfo(Type type) => null;
            }

            public static class Payments
            {
                [Job]
                public static Task Charge(Money {|#0:amount|}, Stream {|TQ0001:receipt|}) => Task.CompletedTask;

                [Job]
                public static Task Declared(Other other) => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(source, new DiagnosticResult(DiagnosticDescriptors.TypeMissingFromJsonContext).WithLocation(0).WithLocation(1)
            .WithArguments("Charge", "amount", "App.Money", "AppJsonContext"));
    }

    /// <summary>A context stub: the analyzer tests do not run System.Text.Json's generator, so the abstract members are written out.</summary>
    private static string JsonContext(string attributes, string name = "AppJsonContext") => $$"""
        {{attributes}}
        public partial class {{name}} : System.Text.Json.Serialization.JsonSerializerContext
        {
            public {{name}}() : base(null) { }
            protected override System.Text.Json.JsonSerializerOptions GeneratedSerializerOptions => null;
            public override System.Text.Json.Serialization.Metadata.JsonTypeInfo GetTypeInfo(Type type) => null;
        }
        """;

    [Fact]
    public async Task Types_the_users_json_context_declares_are_not_reported_at_any_depth()
    {
        var source = Code("""
            public sealed class Money { public decimal Amount; public string Currency = ""; }
            public sealed record Order(string Id, Money Total, List<Money> Refunds, Uri Link);
            public sealed class Tree { public List<Tree> Children { get; set; } = new(); }

            """ + JsonContext("""
            [System.Text.Json.Serialization.JsonSerializable(typeof(Money))]
            [System.Text.Json.Serialization.JsonSerializable(typeof(Uri))]
            [System.Text.Json.Serialization.JsonSerializable(typeof(Tree))]
            [System.Text.Json.Serialization.JsonSerializable(typeof(HashSet<int>), TypeInfoPropertyName = "Numbers")]
            """) + """

            public static class Shop
            {
                [Job]
                public static Task<Money> Charge(Money amount, Money[] split, Dictionary<string, Money> byAccount, Money? maybe) => Task.FromResult(amount);

                [Job]
                public static Task Ship(Order order, Tree tree, HashSet<int> numbers) => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Type_missing_from_the_context_deep_inside_a_record_is_reported_at_its_member_path()
    {
        var source = Code("""
            public sealed class Money { public decimal Amount; }
            public sealed record Order(string Id, List<Money> Refunds);

            """ + JsonContext("[System.Text.Json.Serialization.JsonSerializable(typeof(Uri))]").Replace("class AppJsonContext", "class {|#1:AppJsonContext|}") + """

            public static class Shop
            {
                [Job]
                public static Task Ship(Order {|#0:order|}) => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(source, new DiagnosticResult(DiagnosticDescriptors.TypeMissingFromJsonContext).WithLocation(0).WithLocation(1)
            .WithArguments("Ship", "order.Refunds[]", "App.Money", "AppJsonContext"));
    }

    [Fact]
    public async Task Context_declaration_that_cannot_read_payloads_is_reported_as_unsupported_with_the_reason()
    {
        var source = Code("""
            public sealed class Money { public decimal Amount; }
            public sealed class Fee { public decimal Amount; }
            public sealed class Tax { public decimal Rate; }

            """ + JsonContext("""
            [System.Text.Json.Serialization.JsonSerializable(typeof(Money), GenerationMode = System.Text.Json.Serialization.JsonSourceGenerationMode.Serialization)]
            [System.Text.Json.Serialization.JsonSerializable(typeof(Fee), TypeInfoPropertyName = "Charge")]
            [System.Text.Json.Serialization.JsonSerializable(typeof(Tax), TypeInfoPropertyName = "Charge")]
            """) + """

            public static class Shop
            {
                [Job]
                public static Task Pay(Money {|#0:amount|}, Fee {|#1:fee|}) => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(
            source,
            new DiagnosticResult(DiagnosticDescriptors.UnsupportedParameterType).WithLocation(0).WithArguments(
                "Pay", "amount", "App.Money",
                "the JsonSerializerContext 'AppJsonContext' declares it, but it is declared with GenerationMode = Serialization, which generates no metadata to read payloads with",
                "amount"),
            new DiagnosticResult(DiagnosticDescriptors.UnsupportedParameterType).WithLocation(1).WithArguments(
                "Pay", "fee", "App.Fee",
                "the JsonSerializerContext 'AppJsonContext' declares it, but two of its declared types get the JsonTypeInfo property name 'Charge'; set TypeInfoPropertyName on one of them",
                "fee"));
    }

    [Fact]
    public async Task Context_that_is_not_partial_is_not_used_nor_suggested()
    {
        var source = Code("""
            public sealed class Money { public decimal Amount; }

            [System.Text.Json.Serialization.JsonSerializable(typeof(Money))]
            public class PlainJsonContext : System.Text.Json.Serialization.JsonSerializerContext
            {
                public PlainJsonContext() : base(null) { }
                protected override System.Text.Json.JsonSerializerOptions GeneratedSerializerOptions => null;
                public override System.Text.Json.Serialization.Metadata.JsonTypeInfo GetTypeInfo(Type type) => null;
            }

            public static class Shop
            {
                [Job]
                public static Task Pay(Money {|TQ0001:amount|}) => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Generic_method_and_generic_containing_type_are_reported()
    {
        var source = Code("""
            public static class Generic
            {
                [Job]
                public static Task {|TQ0004:Run|}<T>(T {|TQ0001:value|}) => Task.CompletedTask;
            }

            public sealed class Box<T>
            {
                [Job]
                public Task {|TQ0004:Open|}(string s) => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Ref_out_in_and_params_parameters_are_reported()
    {
        var source = Code("""
            public static class Modifiers
            {
                [Job]
                public static void Run(ref int {|TQ0005:a|}, out int {|TQ0005:b|}, in int {|TQ0005:c|}, params string[] {|TQ0005:d|}) { b = 0; }
            }
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Private_job_method_and_job_in_private_nested_type_are_reported()
    {
        var source = Code("""
            public class Outer
            {
                [Job]
                private static Task {|TQ0006:Hidden|}() => Task.CompletedTask;

                [Job]
                protected static Task {|TQ0006:Protected|}() => Task.CompletedTask;

                private static class Inner
                {
                    [Job]
                    public static Task {|TQ0006:Nested|}() => Task.CompletedTask;
                }
            }
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Unsupported_return_types_are_reported()
    {
        var source = Code("""
            public static class Returns
            {
                [Job]
                public static {|TQ0007:int|} Sync() => 1;

                [Job]
                public static {|TQ0007:IAsyncEnumerable<int>|} Stream() => null;
            }
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Second_cancellation_token_or_job_context_is_reported()
    {
        var source = Code("""
            public static class Injected
            {
                [Job]
                public static Task Run(CancellationToken a, CancellationToken {|TQ0008:b|}, JobContext c, JobContext {|TQ0008:d|}) => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Two_jobs_with_the_same_name_are_both_reported()
    {
        var first = Code("""
            public static class Mail
            {
                [Job]
                public static Task {|#0:Send|}(string to) => Task.CompletedTask;
            }
            """);
        var second = Code("""
            public static class Sms
            {
                [Job(Name = "Send")]
                public static Task {|#1:SendText|}(string to) => Task.CompletedTask;

                [Job(Name = "Other")]
                public static Task Send(string to) => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(
            [first, second],
            new DiagnosticResult(DiagnosticDescriptors.DuplicateJobName).WithLocation(0).WithLocation(1).WithArguments("Send", "Sms.SendText"),
            new DiagnosticResult(DiagnosticDescriptors.DuplicateJobName).WithLocation(1).WithLocation(0).WithArguments("Send", "Mail.Send"));
    }

    [Fact]
    public async Task Invalid_attribute_values_are_reported_at_the_argument()
    {
        var source = Code("""
            public static class Config
            {
                [Job(Name = {|TQ0010:""|})]
                public static Task EmptyName() => Task.CompletedTask;

                [Job(Name = {|TQ0010:"has space"|})]
                public static Task SpaceName() => Task.CompletedTask;

                [Job(MaxRetries = {|TQ0011:-1|})]
                public static Task Negative() => Task.CompletedTask;

                [Job(Timeout = {|TQ0012:"five minutes"|})]
                public static Task BadTimeout() => Task.CompletedTask;

                [Job(Timeout = {|TQ0012:"00:00:00"|})]
                public static Task ZeroTimeout() => Task.CompletedTask;

                [Job(Queue = {|TQ0013:"a:b"|})]
                public static Task ColonQueue() => Task.CompletedTask;

                [Job(RetryBaseDelay = {|TQ0014:"soon"|})]
                public static Task BadDelay() => Task.CompletedTask;

                [Job(RetryMaxDelay = {|TQ0014:"-00:00:01"|})]
                public static Task NegativeDelay() => Task.CompletedTask;

                [Job(RetryBaseDelay = {|TQ0015:"02:00:00"|}, RetryMaxDelay = "01:00:00")]
                public static Task BaseAboveMax() => Task.CompletedTask;

                [Job(Priority = {|TQ0019:(Priority)7|}, Retry = {|TQ0019:(RetryStrategy)9|})]
                public static Task Undefined() => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Instance_job_on_a_type_di_cannot_create_is_reported()
    {
        var source = Code("""
            public abstract class Base
            {
                [Job]
                public Task {|TQ0016:Run|}() => Task.CompletedTask;
            }

            public struct Value
            {
                [Job]
                public Task {|TQ0016:Run2|}() => Task.CompletedTask;
            }

            public sealed class Singleton
            {
                private Singleton() { }

                [Job]
                public Task {|#0:Run3|}() => Task.CompletedTask;

                [Job]
                public static Task StaticIsFine() => Task.CompletedTask;
            }
            """);
        await Verify.VerifyAsync(source, new DiagnosticResult(DiagnosticDescriptors.JobTypeNotConstructible).WithLocation(0)
            .WithArguments("Run3", "App.Singleton", "it has no public constructor"));
    }

    [Fact]
    public async Task Job_attribute_on_a_local_function_or_lambda_is_reported()
    {
        var source = Code("""
            public static class Local
            {
                public static void Outer()
                {
                    [Job]
                    static Task {|TQ0020:Inner|}() => Task.CompletedTask;
                    _ = Inner();
                    Func<Task> lambda = {|TQ0020:[Job] () => Task.CompletedTask|};
                    _ = lambda;
                }
            }
            """);
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Compilation_without_taskqueue_reference_is_ignored()
    {
        // No [Job] type at all: the analyzer must not throw or report.
        const string source = "public static class Plain { public static void Run(System.IO.Stream s) { } }";
        await Verify.VerifyAsync(source);
    }
}
