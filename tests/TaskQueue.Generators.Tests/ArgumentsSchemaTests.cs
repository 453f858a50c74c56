using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using TaskQueue.Generators.Tests.Infrastructure;
using TaskQueue.Tests.Shared;

namespace TaskQueue.Generators.Tests;

/// <summary>
/// The JSON Schema each job's definition carries (<see cref="JobDefinition.ArgumentsSchema"/>) agrees with its
/// generated serializer: every payload the serializer writes validates, and payloads the reader refuses for a wrong
/// type or a missing required field are invalid by the schema too; <see cref="JobDefinition.ArgumentsValidator"/>
/// is the reader itself.
/// </summary>
public sealed class ArgumentsSchemaTests
{
    private const int ValuesPerType = 60;

    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using TaskQueue;

        namespace SchemaApp;

        public enum Level { Low, High }
        public sealed record Line(string Sku, int Quantity, decimal? Price = null);
        public sealed class Order
        {
            public required string Number { get; init; }
            public List<Line> Lines { get; set; } = new();
            public string? Note { get; set; }
            public int LineCount => Lines.Count;
        }

        public static class SchemaJobs
        {
            [Job] public static Task Place(Order order, Level level, Dictionary<string, int[]> counts, string? comment, int retries = 2, CancellationToken ct = default) => Task.CompletedTask;
            [Job] public static void Nothing() { }
        }
        """;

    private static readonly Lazy<GeneratedAssembly> s_app = new(() => new GeneratedAssembly(
        GeneratorHarness.Load(GeneratorHarness.CompileWithGenerator("SchemaApp", Source)), "TaskQueue.Generated.SchemaAppJobRegistry"));

    public static TheoryData<string> Types => new(Programs.RoundTripTypes.Select(t => t.Name));

    public static TheoryData<string> Shapes => new(PayloadShapes.Table.Where(s => s.Accepted).Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_payload_the_serializer_writes_validates_against_the_schema(string name)
    {
        var proxy = CompiledPrograms.RoundTrips.Proxy("RoundTrips", "RoundTrip" + name);
        AssertSerializedPayloadsValidate(proxy, name);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_accepted_payload_shape_validates_against_its_schema(string name)
    {
        var proxy = CompiledPrograms.Shapes.Assembly.GetType("ShapeJobs.Jobs+Shape" + name, throwOnError: true)!;
        AssertSerializedPayloadsValidate(proxy, name);
    }

    [Fact]
    public void Schema_names_types_required_fields_nullability_enums_and_nested_records()
    {
        var definition = Definition(s_app.Value.Proxy("SchemaApp", "Place"));
        using var schema = JsonDocument.Parse(definition.ArgumentsSchema!);
        var root = schema.RootElement;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", root.GetProperty("$schema").GetString());
        Assert.Equal("Place", root.GetProperty("title").GetString());
        Assert.Equal(["order", "level", "counts", "comment"], root.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        var properties = root.GetProperty("properties");
        Assert.Equal(["order", "level", "counts", "comment", "retries"], properties.EnumerateObject().Select(p => p.Name));
        Assert.Equal("[\"string\",\"null\"]", properties.GetProperty("comment").GetProperty("type").GetRawText());
        Assert.Equal("[\"Low\",\"High\"]", properties.GetProperty("level").GetProperty("anyOf")[0].GetProperty("enum").GetRawText());
        Assert.Equal("array", properties.GetProperty("counts").GetProperty("additionalProperties").GetProperty("type")[0].GetString());

        var order = properties.GetProperty("order");
        Assert.Equal("object", order.GetProperty("type").GetString());
        Assert.Equal(["number"], order.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("string", order.GetProperty("properties").GetProperty("number").GetProperty("type").GetString());
        Assert.True(order.GetProperty("properties").GetProperty("lineCount").GetProperty("readOnly").GetBoolean());
        var line = order.GetProperty("properties").GetProperty("lines").GetProperty("items");
        Assert.Equal(["sku", "quantity"], line.GetProperty("required").EnumerateArray().Select(e => e.GetString()));

        var nothing = Definition(s_app.Value.Proxy("SchemaApp", "Nothing"));
        Assert.Equal("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"Nothing\",\"type\":\"object\",\"properties\":{},\"required\":[]}", nothing.ArgumentsSchema);
        nothing.ArgumentsValidator!("{}"u8.ToArray());
    }

    [Theory]
    [InlineData("""{"level":"Low","counts":{},"comment":null}""", "$.order", "order")]
    [InlineData("""{"order":{"lines":[]},"level":"Low","counts":{},"comment":null}""", "$.order.number", "order")]
    [InlineData("""{"order":{"number":"1","lines":[{"sku":"a","quantity":"two"}]},"level":"Low","counts":{},"comment":null}""", "$.order.lines[0].quantity", "order")]
    [InlineData("""{"order":{"number":"1"},"level":"Medium","counts":{},"comment":null}""", "$.level", "level")]
    [InlineData("""{"order":{"number":"1"},"level":"Low","counts":{"a":[1,"x"]},"comment":null}""", "$.counts.a[1]", "counts")]
    [InlineData("""{"order":{"number":"1"},"level":"Low","counts":{},"comment":5}""", "$.comment", "comment")]
    public void Payloads_the_reader_refuses_are_invalid_by_the_schema_and_the_validator_names_the_path(string json, string path, string parameter)
    {
        var definition = Definition(s_app.Value.Proxy("SchemaApp", "Place"));
        var schema = JsonSchema.FromText(definition.ArgumentsSchema!);
        using var document = JsonDocument.Parse(json);
        Assert.False(schema.Evaluate(document.RootElement).IsValid, "the schema accepted " + json);

        var error = Assert.Throws<JobPayloadException>(() => definition.ArgumentsValidator!(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(path, error.JsonPath);
        Assert.Equal(parameter, error.Parameter);
    }

    [Fact]
    public void A_valid_body_with_unknown_fields_and_defaults_left_out_passes_both()
    {
        var definition = Definition(s_app.Value.Proxy("SchemaApp", "Place"));
        const string json = """{"order":{"number":"1","lines":[{"sku":"a","quantity":2}],"extra":true},"level":"High","counts":{"a":[1,2]},"comment":null,"unknown":[1]}""";
        using var document = JsonDocument.Parse(json);
        Assert.True(JsonSchema.FromText(definition.ArgumentsSchema!).Evaluate(document.RootElement).IsValid);
        definition.ArgumentsValidator!(Encoding.UTF8.GetBytes(json));
    }

    private static void AssertSerializedPayloadsValidate(Type proxy, string name)
    {
        var definition = Definition(proxy);
        // The random values put null into reference properties declared non-nullable (the reader passes such nulls
        // through; the schema follows the declaration), so this check allows null everywhere; nullability has its own test.
        var schemaText = AllowNullEverywhere(JsonNode.Parse(definition.ArgumentsSchema!)!).ToJsonString();
        var schema = JsonSchema.FromText(schemaText);
        var type = proxy.GetMethod("Deserialize")!.GetParameters()[1].ParameterType.GetElementType()!;
        var random = new Random(4242 + name.Length * 7919 + name[0]);
        for (var i = 0; i < ValuesPerType; i++)
        {
            var value = RoundTripValues.Create(type, random, depth: 0, index: i);
            var payload = GeneratedAssembly.Serialize(proxy, value);
            using var document = JsonDocument.Parse(payload);
            if (HasNumberBeyondDecimal(document.RootElement))
            {
                // JsonSchema.Net reads numbers as decimal: a double beyond its range fails "number" (the validator's limit).
                definition.ArgumentsValidator!(payload);
                continue;
            }

            var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, $"{name} #{i}: {Encoding.UTF8.GetString(payload)} is invalid by {schemaText}: "
                + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => d.InstanceLocation + ": " + e.Value))));
            definition.ArgumentsValidator!(payload);
        }
    }

    private static JsonNode AllowNullEverywhere(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj.ToList())
            {
                if (value is not null && key is not "enum" and not "required")
                {
                    obj[key] = AllowNullEverywhere(value.DeepClone());
                }
            }

            if (obj["type"] is JsonValue single)
            {
                obj["type"] = new JsonArray(single.GetValue<string>(), "null");
            }
            else if (obj["type"] is JsonArray types && !types.Any(t => t!.GetValue<string>() == "null"))
            {
                types.Add("null");
            }

            if (obj["anyOf"] is JsonArray anyOf)
            {
                anyOf.Add(new JsonObject { ["type"] = "null" });
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                array[i] = AllowNullEverywhere(array[i]!.DeepClone());
            }
        }

        return node;
    }

    private static bool HasNumberBeyondDecimal(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => !element.TryGetDecimal(out _),
        JsonValueKind.Object => element.EnumerateObject().Any(p => HasNumberBeyondDecimal(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(HasNumberBeyondDecimal),
        _ => false,
    };

    private static JobDefinition Definition(Type proxy) => (JobDefinition)proxy.GetProperty("Definition")!.GetValue(null)!;
}
