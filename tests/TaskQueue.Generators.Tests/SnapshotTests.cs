using TaskQueue.Generators.Tests.Infrastructure;

namespace TaskQueue.Generators.Tests;

public sealed class SnapshotTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using TaskQueue;

        """;

    [Fact]
    public void Static_job_with_cancellation_token()
        => Verify(nameof(Static_job_with_cancellation_token), """
            namespace Mail;

            public static class MailJobs
            {
                [Job(Priority = Priority.High, MaxRetries = 5)]
                public static Task SendEmail(string to, string subject, CancellationToken cancellationToken) => Task.CompletedTask;
            }
            """);

    [Fact]
    public void Recurring_jobs_declared_with_cron_and_with_fixed_arguments()
        => Verify(nameof(Recurring_jobs_declared_with_cron_and_with_fixed_arguments), """
            using TaskQueue.Scheduling;

            namespace Reports;

            public enum Region { Eu, Us }

            public static class ReportJobs
            {
                [Job(Cron = "*/5 * * * *", TimeZone = "Europe/Berlin")]
                public static Task Heartbeat(CancellationToken cancellationToken) => Task.CompletedTask;

                [Job]
                [Recurring("nightly-eu", "0 3 * * *", Region.Eu, 30, TimeZone = "Europe/Berlin")]
                [Recurring("nightly-us", "0 3 * * *", Region.Us, 45L, TimeZone = "America/New_York", Misfire = MisfirePolicy.RunAll, MaxCatchUp = 3, Overlap = OverlapPolicy.SkipIfRunning)]
                public static Task Nightly(Region region, long days) => Task.CompletedTask;
            }
            """);

    [Fact]
    public void Payload_state_behind_private_setters_and_get_only_properties()
        => Verify(nameof(Payload_state_behind_private_setters_and_get_only_properties), """
            namespace Accounts;

            public class Entity { public string Id { get; private set; } = ""; }
            public sealed class Account : Entity
            {
                public decimal Balance { get; private set; }
                public string Owner { get; init; } = "";
                public List<string> Tags { get; } = new();
                public int TagCount => Tags.Count;
            }
            public class Box<T> { public T? Value { get; protected set; } }
            public struct Cursor { public int Position { get; private set; } }

            public static class AccountJobs
            {
                [Job]
                public static Task Audit(Account account, Box<Account> boxed, Cursor cursor) => Task.CompletedTask;
            }
            """);

    [Fact]
    public void Instance_job_with_context_and_result()
        => Verify(nameof(Instance_job_with_context_and_result), """
            namespace Billing;

            public sealed class Invoicer
            {
                [Job]
                public ValueTask<decimal> Charge(Guid customerId, decimal amount, JobContext context) => new(amount);
            }
            """);

    [Fact]
    public void Internal_job_with_custom_name_queue_priority_timeout_and_retry()
        => Verify(nameof(Internal_job_with_custom_name_queue_priority_timeout_and_retry), """
            namespace Reports;

            internal static class Nightly
            {
                [Job(Name = "reports:daily", Queue = "reports", Priority = Priority.Low, Timeout = "00:05:00",
                     Retry = RetryStrategy.Linear, RetryBaseDelay = "00:00:10", RetryMaxDelay = "00:10:00")]
                internal static void Build(DateOnly day, int? limit = null) { }
            }
            """);

    [Fact]
    public void Every_parameter_kind()
        => Verify(nameof(Every_parameter_kind), """
            namespace Kinds;

            public enum Color : byte { Red = 1, Green = 2, Crimson = 1 }

            public sealed record Item(string Name, int Count = 1);

            public sealed class Settings
            {
                public bool Enabled { get; set; }
                public required string Mode { get; init; }
                public Dictionary<string, Item> Items { get; set; } = new();
            }

            public readonly record struct Range(TimeOnly From, TimeOnly To);

            public static class KindJobs
            {
                [Job]
                public static Task<Item?> Everything(
                    bool flag, byte b, sbyte sb, short s, ushort us, int i, uint ui, long l, ulong ul, float f, double d, decimal m, char c,
                    string text, string? maybe, Guid id, DateTime when, DateTimeOffset at, TimeSpan span, DateOnly day, TimeOnly time,
                    Color color, int? optionalNumber, int[] numbers, List<string> names, IReadOnlyList<Item> items, IEnumerable<long> longs,
                    Dictionary<string, int> counts, IReadOnlyDictionary<string, List<Range>> ranges, Settings settings, Range range,
                    Range? maybeRange, string @class = "x\"y", double ratio = 0.5, Color defaultColor = Color.Green)
                    => Task.FromResult<Item?>(null);
            }
            """);

    [Fact]
    public void Job_with_types_only_a_json_context_declares()
        => VerifyWithJsonContexts(nameof(Job_with_types_only_a_json_context_declares), """
            using System.Text.Json.Serialization;

            namespace Payments;

            public sealed class Money
            {
                public decimal Amount;
                public string Currency = "";
            }

            public sealed record Invoice(string Number, Money Total, Uri? Link);

            [JsonSourceGenerationOptions(IncludeFields = true)]
            [JsonSerializable(typeof(Money))]
            [JsonSerializable(typeof(Uri))]
            [JsonSerializable(typeof(HashSet<string>), TypeInfoPropertyName = "Tags")]
            internal partial class PaymentsJsonContext : JsonSerializerContext
            {
            }

            public static class PaymentJobs
            {
                [Job]
                public static Task<Money> Charge(Money amount, Invoice invoice, HashSet<string> tags) => Task.FromResult(amount);
            }
            """);

    /// <summary>Runs System.Text.Json's generator too (the output must compile), but snapshots only the job generator's files.</summary>
    private static void VerifyWithJsonContexts(string name, string source)
    {
        var compilation = GeneratorHarness.CreateCompilation("Snapshot.App", Usings + source);
        var (output, sources) = GeneratorHarness.RunWithJsonContexts(compilation);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        Assert.NotEmpty(sources);
        Snapshot.VerifyAll(sources
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .Select(s => (name + "." + s.HintName.Replace(".g.cs", string.Empty, StringComparison.Ordinal), s.SourceText.ToString())));
    }

    private static void Verify(string name, string source)
    {
        var compilation = GeneratorHarness.CreateCompilation("Snapshot.App", Usings + source);
        var (_, output, sources) = GeneratorHarness.Run(compilation);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        Assert.NotEmpty(sources);
        Snapshot.VerifyAll(sources
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .Select(s => (name + "." + s.HintName.Replace(".g.cs", string.Empty, StringComparison.Ordinal), s.SourceText.ToString())));
    }
}
