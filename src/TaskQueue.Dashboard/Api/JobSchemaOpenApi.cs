using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace TaskQueue.Dashboard.Api;

/// <summary>
/// Turns a job's generated JSON Schema (<see cref="JobDefinition.ArgumentsSchema"/>) into the OpenAPI model, so each
/// job's create endpoint shows its typed request body. The generator emits a small, fixed set of keywords (type with
/// null, properties, required, items, additionalProperties, enum, anyOf, format, pattern, bounds, readOnly,
/// description), all inline; this reads exactly those.
/// </summary>
internal static class JobSchemaOpenApi
{
    /// <summary>The request body of a job's create endpoint: the job's arguments and the per-job options.</summary>
    public static OpenApiSchema CreateRequest(JobDefinition job)
    {
        var arguments = job.ArgumentsSchema is { } text ? Convert(JsonDocument.Parse(text).RootElement) : new OpenApiSchema { Type = JsonSchemaType.Object };
        arguments.Description = $"The arguments of the job '{job.Name}', read by its generated deserializer.";
        var hasRequiredArguments = arguments.Required is { Count: > 0 };
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Title = "Create " + job.Name,
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["arguments"] = arguments,
                ["queue"] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[A-Za-z0-9._-]{1,64}$", Description = $"Overrides the job's queue ('{job.Queue}')." },
                ["priority"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("critical"), JsonValue.Create("high"), JsonValue.Create("normal"), JsonValue.Create("low")], Description = $"Overrides the job's priority ({ApiModels.Name(job.Priority)})." },
                ["delay"] = TimeSpanSchema("Run no earlier than this long after the store receives it. Not with runAt."),
                ["runAt"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "Run no earlier than this instant. Not with delay." },
                ["idempotencyKey"] = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Storage.NewJob.MaxIdempotencyKeyLength, Description = "While remembered, another create with this key (in the same queue) returns the first job." },
                ["idempotencyTtl"] = TimeSpanSchema("How long the key is remembered (default 24 hours)."),
                ["uniqueUntilFinished"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Remember the key until the first job ends." },
                ["timeout"] = TimeSpanSchema("Overrides the job's per-attempt timeout."),
            },
        };
        if (hasRequiredArguments)
        {
            schema.Required = new HashSet<string>(StringComparer.Ordinal) { "arguments" };
        }

        return schema;
    }

    private static OpenApiSchema TimeSpanSchema(string description)
        => new() { Type = JsonSchemaType.String, Pattern = @"^-?(\d+\.)?\d{1,2}:\d{1,2}:\d{1,2}(\.\d{1,7})?$", Description = description + " \"d.hh:mm:ss.fffffff\"." };

    public static OpenApiSchema Convert(JsonElement element)
    {
        var schema = new OpenApiSchema();
        if (element.ValueKind != JsonValueKind.Object)
        {
            return schema;
        }

        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "type":
                    schema.Type = value.ValueKind == JsonValueKind.Array
                        ? value.EnumerateArray().Aggregate((JsonSchemaType)0, (all, t) => all | TypeOf(t.GetString()))
                        : TypeOf(value.GetString());
                    break;
                case "title":
                    schema.Title = value.GetString();
                    break;
                case "description":
                    schema.Description = value.GetString();
                    break;
                case "format":
                    schema.Format = value.GetString();
                    break;
                case "pattern":
                    schema.Pattern = value.GetString();
                    break;
                case "minimum":
                    schema.Minimum = value.GetRawText();
                    break;
                case "maximum":
                    schema.Maximum = value.GetRawText();
                    break;
                case "minLength":
                    schema.MinLength = value.GetInt32();
                    break;
                case "maxLength":
                    schema.MaxLength = value.GetInt32();
                    break;
                case "readOnly":
                    schema.ReadOnly = value.GetBoolean();
                    break;
                case "properties":
                    schema.Properties = value.EnumerateObject().ToDictionary(p => p.Name, p => (IOpenApiSchema)Convert(p.Value), StringComparer.Ordinal);
                    break;
                case "required":
                    schema.Required = new HashSet<string>(value.EnumerateArray().Select(r => r.GetString()!), StringComparer.Ordinal);
                    break;
                case "items":
                    schema.Items = Convert(value);
                    break;
                case "additionalProperties":
                    schema.AdditionalProperties = Convert(value);
                    break;
                case "anyOf":
                    schema.AnyOf = value.EnumerateArray().Select(s => (IOpenApiSchema)Convert(s)).ToList();
                    break;
                case "enum":
                    schema.Enum = value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? JsonValue.Create(e.GetString()) : (JsonNode?)null).ToList()!;
                    break;
                default:
                    // $schema and anything newer generators add: not part of the OpenAPI schema object.
                    break;
            }
        }

        return schema;
    }

    private static JsonSchemaType TypeOf(string? name) => name switch
    {
        "null" => JsonSchemaType.Null,
        "boolean" => JsonSchemaType.Boolean,
        "integer" => JsonSchemaType.Integer,
        "number" => JsonSchemaType.Number,
        "string" => JsonSchemaType.String,
        "object" => JsonSchemaType.Object,
        "array" => JsonSchemaType.Array,
        _ => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Unknown JSON Schema type '{name}'.")),
    };
}
