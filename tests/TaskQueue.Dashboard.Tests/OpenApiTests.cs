using System.Text.Json.Nodes;

namespace TaskQueue.Dashboard.Tests;

/// <summary>The host's OpenAPI document shows each job's typed create endpoint with the generated schema of its arguments.</summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task Document_has_a_typed_create_endpoint_per_job_with_its_arguments_schema()
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory);
        var document = await app.GetJsonAsync("/openapi/v1.json", key: null);
        var paths = document["paths"]!.AsObject();

        foreach (var job in new[] { "SendEmail", "PlaceOrder", "reports:daily", "AlwaysFails" })
        {
            var path = $"{ApiApp.Api}/job-types/{job}/jobs";
            Assert.True(paths.ContainsKey(path), $"{path} is not in the document: {string.Join(", ", paths.Select(p => p.Key))}");
        }

        var mail = paths[$"{ApiApp.Api}/job-types/SendEmail/jobs"]!["post"]!;
        Assert.Equal("TaskQueue_Create_SendEmail", mail["operationId"]!.GetValue<string>());
        var schema = mail["requestBody"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal(["arguments"], schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        var arguments = schema["properties"]!["arguments"]!;
        Assert.Equal(["to", "subject"], arguments["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("string", arguments["properties"]!["to"]!["type"]!.GetValue<string>());
        Assert.Contains("null", arguments["properties"]!["retryAfterSeconds"]!["type"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.NotNull(schema["properties"]!["priority"]!["enum"]);

        var order = paths[$"{ApiApp.Api}/job-types/PlaceOrder/jobs"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["properties"]!["arguments"]!;
        var line = order["properties"]!["order"]!["properties"]!["lines"]!["items"]!;
        Assert.Equal(["sku", "quantity"], line["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["Free", "Pro"], order["properties"]!["tier"]!["anyOf"]![0]!["enum"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Contains("string", order["properties"]!["tags"]!["additionalProperties"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()));

        // The admin endpoints are described too, with their response types.
        Assert.True(paths.ContainsKey($"{ApiApp.Api}/queues/{{queue}}/jobs"));
        Assert.True(paths.ContainsKey($"{ApiApp.Api}/jobs/bulk"));
        Assert.NotNull(paths[$"{ApiApp.Api}/stats"]!["get"]!["responses"]!["200"]);
    }
}
