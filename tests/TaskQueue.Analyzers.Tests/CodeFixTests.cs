using TaskQueue.Analyzers.CodeFixes;
using TaskQueue.Analyzers.Tests.Verifiers;

namespace TaskQueue.Analyzers.Tests;

public sealed class CodeFixTests
{
    [Fact]
    public async Task Private_job_method_is_made_public()
    {
        const string source = """
            using System.Threading.Tasks;
            using TaskQueue;

            public static class Mail
            {
                [Job]
                private static Task {|TQ0006:Send|}(string to) => Task.CompletedTask;
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using TaskQueue;

            public static class Mail
            {
                [Job]
                public static Task Send(string to) => Task.CompletedTask;
            }
            """;
        await CodeFixVerifier<JobDeclarationAnalyzer, MakeJobAccessibleCodeFix>.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Job_method_without_modifier_gets_public()
    {
        const string source = """
            using System.Threading.Tasks;
            using TaskQueue;

            public class Mail
            {
                [Job]
                Task {|TQ0006:Send|}(string to) => Task.CompletedTask;
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using TaskQueue;

            public class Mail
            {
                [Job]
                public Task Send(string to) => Task.CompletedTask;
            }
            """;
        await CodeFixVerifier<JobDeclarationAnalyzer, MakeJobAccessibleCodeFix>.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Private_nested_type_holding_a_job_is_made_public()
    {
        const string source = """
            using System.Threading.Tasks;
            using TaskQueue;

            public static class Outer
            {
                private static class Inner
                {
                    [Job]
                    public static Task {|TQ0006:Send|}(string to) => Task.CompletedTask;
                }
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using TaskQueue;

            public static class Outer
            {
                public static class Inner
                {
                    [Job]
                    public static Task Send(string to) => Task.CompletedTask;
                }
            }
            """;
        await CodeFixVerifier<JobDeclarationAnalyzer, MakeJobAccessibleCodeFix>.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Missing_type_is_added_to_the_json_context()
    {
        const string source = """
            using System;
            using System.Text.Json;
            using System.Text.Json.Serialization;
            using System.Text.Json.Serialization.Metadata;
            using System.Threading.Tasks;
            using TaskQueue;

            namespace App
            {
                public sealed class Money { private Money() { } public decimal Amount { get; } }
                public sealed class Other { private Other() { } }

                [JsonSerializable(typeof(Other))]
                public partial class AppJsonContext : JsonSerializerContext
                {
                    public AppJsonContext() : base(null) { }
                    protected override JsonSerializerOptions GeneratedSerializerOptions => null;
                    public override JsonTypeInfo GetTypeInfo(Type type) => null;
                }

                public static class Payments
                {
                    [Job]
                    public static Task Charge(Money {|TQ0003:amount|}) => Task.CompletedTask;
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.Text.Json;
            using System.Text.Json.Serialization;
            using System.Text.Json.Serialization.Metadata;
            using System.Threading.Tasks;
            using TaskQueue;

            namespace App
            {
                public sealed class Money { private Money() { } public decimal Amount { get; } }
                public sealed class Other { private Other() { } }

                [JsonSerializable(typeof(Other))]
                [JsonSerializable(typeof(Money))]
                public partial class AppJsonContext : JsonSerializerContext
                {
                    public AppJsonContext() : base(null) { }
                    protected override JsonSerializerOptions GeneratedSerializerOptions => null;
                    public override JsonTypeInfo GetTypeInfo(Type type) => null;
                }

                public static class Payments
                {
                    [Job]
                    public static Task Charge(Money amount) => Task.CompletedTask;
                }
            }
            """;
        await CodeFixVerifier<JobDeclarationAnalyzer, AddJsonSerializableCodeFix>.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Type_missing_deep_inside_a_record_is_the_one_added_to_the_json_context()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Text.Json;
            using System.Text.Json.Serialization;
            using System.Text.Json.Serialization.Metadata;
            using System.Threading.Tasks;
            using TaskQueue;

            namespace App
            {
                public sealed class Money { public decimal Amount; }
                public sealed record Order(string Id, List<Money> Refunds);

                [JsonSerializable(typeof(Uri))]
                public partial class AppJsonContext : JsonSerializerContext
                {
                    public AppJsonContext() : base(null) { }
                    protected override JsonSerializerOptions GeneratedSerializerOptions => null;
                    public override JsonTypeInfo GetTypeInfo(Type type) => null;
                }

                public static class Shop
                {
                    [Job]
                    public static Task Ship(Order {|TQ0003:order|}) => Task.CompletedTask;
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.Collections.Generic;
            using System.Text.Json;
            using System.Text.Json.Serialization;
            using System.Text.Json.Serialization.Metadata;
            using System.Threading.Tasks;
            using TaskQueue;

            namespace App
            {
                public sealed class Money { public decimal Amount; }
                public sealed record Order(string Id, List<Money> Refunds);

                [JsonSerializable(typeof(Uri))]
                [JsonSerializable(typeof(Money))]
                public partial class AppJsonContext : JsonSerializerContext
                {
                    public AppJsonContext() : base(null) { }
                    protected override JsonSerializerOptions GeneratedSerializerOptions => null;
                    public override JsonTypeInfo GetTypeInfo(Type type) => null;
                }

                public static class Shop
                {
                    [Job]
                    public static Task Ship(Order order) => Task.CompletedTask;
                }
            }
            """;
        await CodeFixVerifier<JobDeclarationAnalyzer, AddJsonSerializableCodeFix>.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Discarded_enqueue_in_async_method_is_awaited()
    {
        const string source = """
            using System.Threading.Tasks;
            using TaskQueue;
            using TaskQueue.Client;

            public static class Caller
            {
                public static async Task Run(IJobClient client, JobDefinition job)
                {
                    {|TQ0018:client.EnqueueAsync(job, default)|};
                }
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using TaskQueue;
            using TaskQueue.Client;

            public static class Caller
            {
                public static async Task Run(IJobClient client, JobDefinition job)
                {
                    await client.EnqueueAsync(job, default);
                }
            }
            """;
        await CodeFixVerifier<JobUsageAnalyzer, AwaitEnqueueCodeFix>.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Discarded_enqueue_outside_async_code_gets_no_fix()
    {
        const string source = """
            using TaskQueue;
            using TaskQueue.Client;

            public static class Caller
            {
                public static void Run(IJobClient client, JobDefinition job)
                {
                    {|TQ0018:client.EnqueueAsync(job, default)|};
                }
            }
            """;
        await CodeFixVerifier<JobUsageAnalyzer, AwaitEnqueueCodeFix>.VerifyAsync(source, source);
    }
}
