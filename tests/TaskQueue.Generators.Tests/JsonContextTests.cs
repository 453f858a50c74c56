using System.Collections;
using System.Text;
using Microsoft.CodeAnalysis;
using TaskQueue.Generators.Shared;
using TaskQueue.Generators.Tests.Infrastructure;

namespace TaskQueue.Generators.Tests;

/// <summary>
/// Types the native serializer refuses but a user JsonSerializerContext declares: compiled together with the real
/// System.Text.Json source generator, loaded and run.
/// </summary>
public sealed class JsonContextTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using TaskQueue;

        namespace Shop
        {
            // Public fields: the native serializer refuses them, System.Text.Json reads them with IncludeFields.
            public sealed class Money
            {
                public decimal Amount;
                public string Currency = "";
            }

            // Native record whose members are only serializable through the context.
            public sealed record Order(string Id, Money Total, Uri Link, List<Money> Refunds);

            // No public constructor: native refuses it. Its getter throws when System.Text.Json writes it.
            public sealed class Flaky
            {
                private Flaky() { }
                public int Value => throw new InvalidOperationException("sensor offline");
            }

            [JsonSourceGenerationOptions(IncludeFields = true)]
            [JsonSerializable(typeof(Flaky))]
            [JsonSerializable(typeof(Money))]
            [JsonSerializable(typeof(Uri))]
            [JsonSerializable(typeof(HashSet<string>), TypeInfoPropertyName = "Tags")]
            [JsonSerializable(typeof(Dictionary<int, string>))]
            [JsonSerializable(typeof(string))]
            internal partial class ShopJsonContext : JsonSerializerContext
            {
            }

            public static class Seen
            {
                public static readonly List<object[]> Calls = new();

                public static void Add(params object[] values)
                {
                    lock (Calls)
                    {
                        Calls.Add(values);
                    }
                }
            }

            public static class ShopJobs
            {
                [Job]
                public static Task Charge(Money amount, string note)
                {
                    Seen.Add(amount, note);
                    return Task.CompletedTask;
                }

                [Job]
                public static Task Ship(Order order, HashSet<string> tags, Dictionary<int, string> labels)
                {
                    Seen.Add(order, tags, labels);
                    return Task.CompletedTask;
                }

                [Job]
                public static Task Poke(Flaky flaky) => Task.CompletedTask;

                [Job]
                public static Task<Money> Quote(string sku) => Task.FromResult(new Money { Amount = 9.5m, Currency = sku });
            }
        }
        """;

    private static readonly Lazy<GeneratedAssembly> s_app = new(() => new GeneratedAssembly(
        GeneratorHarness.Load(GeneratorHarness.CompileWithJsonContexts("JsonContext.App", Source)),
        "TaskQueue.Generated.JsonContextAppJobRegistry"));

    private static GeneratedAssembly App => s_app.Value;

    private static Type Proxy(string name) => App.Proxy("Shop", name);

    private static object[] LastSeen()
    {
        var calls = (List<object[]>)App.Type("Shop.Seen").GetField("Calls")!.GetValue(null)!;
        lock (calls)
        {
            return calls[^1];
        }
    }

    private static object Money(decimal amount, string currency)
    {
        var money = Activator.CreateInstance(App.Type("Shop.Money"))!;
        money.GetType().GetField("Amount")!.SetValue(money, amount);
        money.GetType().GetField("Currency")!.SetValue(money, currency);
        return money;
    }

    private static (decimal Amount, string Currency) Read(object money)
        => ((decimal)money.GetType().GetField("Amount")!.GetValue(money)!, (string)money.GetType().GetField("Currency")!.GetValue(money)!);

    private static object? Property(object value, string name) => value.GetType().GetProperty(name)!.GetValue(value);

    [Fact]
    public async Task Context_only_parameter_is_written_and_read_through_the_users_json_context()
    {
        var payload = GeneratedAssembly.Serialize(Proxy("Charge"), Money(12.5m, "EUR"), "first");

        // The context's options apply inside the value (fields, PascalCase); the payload's own names stay as declared.
        Assert.Equal("{\"amount\":{\"Amount\":12.5,\"Currency\":\"EUR\"},\"note\":\"first\"}", Encoding.UTF8.GetString(payload));

        await App.Registry.InvokeAsync("Charge", payload, GeneratedAssembly.Context("Charge"));
        var seen = LastSeen();
        Assert.Equal((12.5m, "EUR"), Read(seen[0]));
        Assert.Equal("first", seen[1]);
    }

    [Fact]
    public async Task Context_only_members_collections_and_renamed_type_infos_round_trip()
    {
        var refunds = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(App.Type("Shop.Money")))!;
        refunds.Add(Money(1m, "USD"));
        refunds.Add(Money(2.25m, "USD"));
        var order = Activator.CreateInstance(App.Type("Shop.Order"), "o-1", Money(40m, "USD"), new Uri("https://example.com/o/1?x=1"), refunds)!;
        var tags = new HashSet<string> { "gift", "fragile" };
        var labels = new Dictionary<int, string> { [1] = "front", [20] = "back" };

        var payload = GeneratedAssembly.Serialize(Proxy("Ship"), order, tags, labels);
        await App.Registry.InvokeAsync("Ship", payload, GeneratedAssembly.Context("Ship"));

        var seen = LastSeen();
        Assert.Equal("o-1", Property(seen[0], "Id"));
        Assert.Equal((40m, "USD"), Read(Property(seen[0], "Total")!));
        Assert.Equal(new Uri("https://example.com/o/1?x=1"), Property(seen[0], "Link"));
        Assert.Equal([(1m, "USD"), (2.25m, "USD")], ((IEnumerable)Property(seen[0], "Refunds")!).Cast<object>().Select(Read));
        Assert.Equal(tags, (HashSet<string>)seen[1]);
        Assert.Equal(labels, (Dictionary<int, string>)seen[2]);
    }

    [Fact]
    public async Task Context_only_result_is_written_through_the_context_and_read_back()
    {
        var payload = GeneratedAssembly.Serialize(Proxy("Quote"), "CHF");

        var result = await App.Registry.InvokeAsync("Quote", payload, GeneratedAssembly.Context("Quote"));

        Assert.NotNull(result);
        Assert.Equal("{\"Amount\":9.5,\"Currency\":\"CHF\"}", Encoding.UTF8.GetString(result));
        Assert.Equal((9.5m, "CHF"), Read(GeneratedAssembly.Call(Proxy("Quote"), "DeserializeResult", new ReadOnlyMemory<byte>(result))!));
    }

    [Theory]
    [InlineData("{\"amount\":{\"Amount\":\"lots\",\"Currency\":\"EUR\"},\"note\":\"x\"}", "Charge", "amount", "$.amount.Amount")]
    [InlineData("{\"amount\":[1,2],\"note\":\"x\"}", "Charge", "amount", "$.amount")]
    [InlineData("{\"order\":{\"id\":\"o\",\"total\":{\"Amount\":1,\"Currency\":\"EUR\"},\"link\":\"https://a/\",\"refunds\":[{\"Amount\":true}]},\"tags\":[],\"labels\":{}}", "Ship", "order", "$.order.refunds[0].Amount")]
    [InlineData("{\"order\":{\"id\":\"o\",\"total\":{},\"link\":\"https://a/\",\"refunds\":[]},\"tags\":[],\"labels\":{\"one\":\"x\"}}", "Ship", "labels", "$.labels.one")]
    public async Task Payload_that_fails_inside_the_context_names_the_job_parameter_and_path(string json, string job, string parameter, string path)
    {
        var ex = await Assert.ThrowsAsync<JobPayloadException>(
            async () => await App.Registry.InvokeAsync(job, Encoding.UTF8.GetBytes(json), GeneratedAssembly.Context(job)));

        Assert.Equal(job, ex.JobName);
        Assert.Equal(parameter, ex.Parameter);
        Assert.Equal(path, ex.JsonPath);
        Assert.Contains($"Job '{job}', parameter '{parameter}'", ex.Message, StringComparison.Ordinal);
        Assert.IsType<System.Text.Json.JsonException>(ex.InnerException);
    }

    [Fact]
    public void Value_that_fails_to_write_inside_the_context_names_the_job_and_parameter_at_enqueue()
    {
        var flaky = Activator.CreateInstance(App.Type("Shop.Flaky"), nonPublic: true);

        var ex = Assert.Throws<JobPayloadException>(() => GeneratedAssembly.Serialize(Proxy("Poke"), flaky));

        Assert.Equal("Poke", ex.JobName);
        Assert.Equal("flaky", ex.Parameter);
        Assert.Contains("sensor offline", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Natively_supported_type_declared_in_a_context_keeps_the_native_serializer()
    {
        var (_, sources) = GeneratorHarness.RunWithJsonContexts(GeneratorHarness.CreateCompilation("JsonContext.App", Source));
        var serializers = sources.Single(s => s.HintName.EndsWith("PayloadSerializers.g.cs", StringComparison.Ordinal)).SourceText.ToString();

        Assert.Contains("global::TaskQueue.Serialization.JobPayloadWriting.WriteString(writer, value);", serializers, StringComparison.Ordinal);
        Assert.DoesNotContain("ShopJsonContext.Default.String", serializers, StringComparison.Ordinal);
        Assert.Contains("ShopJsonContext.Default.Money", serializers, StringComparison.Ordinal);
        Assert.Contains("ShopJsonContext.Default.Tags", serializers, StringComparison.Ordinal);
        Assert.Contains("ShopJsonContext.Default.DictionaryInt32String", serializers, StringComparison.Ordinal);
    }

    public static TheoryData<string> NamedTypes() => new()
    {
        "int?", "Money", "Money[]", "int[,]", "List<Money>", "Dictionary<int, List<Money>>", "Outer<int>.Inner", "Outer<Money>.Pair<string>",
        "HashSet<Money?>", "Money[][]", "Uri", "ValueTuple<int, string>",
    };

    [Theory]
    [MemberData(nameof(NamedTypes))]
    public void Default_type_info_property_name_is_the_one_System_Text_Json_generates(string type)
    {
        var source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Text.Json.Serialization;

            namespace Names
            {
                public struct Money { public int Cents { get; set; } }
                public sealed class Outer<T> { public sealed class Inner { public T Value { get; set; } } public sealed class Pair<U> { public U Second { get; set; } } }

                [JsonSerializable(typeof({{type}}))]
                internal partial class NamesContext : JsonSerializerContext
                {
                }
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation("Names", source);
        var declared = (ITypeSymbol)compilation.GetTypeByMetadataName("Names.NamesContext")!.GetAttributes().Single().ConstructorArguments[0].Value!;
        var (output, _) = GeneratorHarness.RunWithJsonContexts(compilation);

        var expected = JsonTypeInfoNames.DefaultPropertyName(declared);
        var generated = output.GetTypeByMetadataName("Names.NamesContext")!.GetMembers(expected).OfType<IPropertySymbol>();
        Assert.True(generated.Any(), $"System.Text.Json generated no property '{expected}' for {type}.");
    }
}
