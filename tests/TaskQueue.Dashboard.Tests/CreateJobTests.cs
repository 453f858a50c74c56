using System.Net;
using System.Text.Json.Nodes;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.Tests;

/// <summary>Create one job by name and many in one request, on both stores; the stored job reads back in full.</summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class CreateJobTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Created_job_is_stored_with_its_defaults_and_reads_back_with_inline_arguments(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        using var response = await app.SendAsync(HttpMethod.Post, ApiApp.Api + "/job-types/SendEmail/jobs",
            json: """{"arguments":{"to":"ada@example.com","subject":"Hi"},"idempotencyKey":"welcome-ada"}""");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var created = JsonNode.Parse(text)!;
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("api-mail", created["queue"]!.GetValue<string>());
        Assert.Equal($"{ApiApp.Api}/queues/api-mail/jobs/{id}", response.Headers.Location!.OriginalString);

        var job = await app.GetJsonAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(id, job["id"]!.GetValue<string>());
        Assert.Equal("SendEmail", job["name"]!.GetValue<string>());
        Assert.Equal("pending", job["state"]!.GetValue<string>());
        Assert.Equal("high", job["priority"]!.GetValue<string>());
        Assert.Equal(5, job["maxRetries"]!.GetValue<int>());
        Assert.Equal("welcome-ada", job["idempotencyKey"]!.GetValue<string>());
        Assert.Equal("ada@example.com", job["arguments"]!["to"]!.GetValue<string>());
        Assert.Empty(job["errors"]!.AsArray());
        Assert.Equal(1, (await app.Admin.GetQueueStatsAsync(ApiJobs.MailQueue)).Pending);
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Options_override_queue_and_priority_and_delay_schedules(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        using var response = await app.SendAsync(HttpMethod.Post, ApiApp.Api + "/job-types/reports:daily/jobs",
            json: """{"arguments":{"day":"2026-01-31"},"queue":"other-queue","priority":"critical","delay":"01:00:00"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stats = await app.Admin.GetQueueStatsAsync("other-queue");
        Assert.Equal(1, stats.Scheduled);
        var page = await app.GetJsonAsync(ApiApp.Api + "/queues/other-queue/jobs?state=scheduled");
        Assert.Equal(1, page["total"]!.GetValue<long>());
        Assert.Equal("critical", page["jobs"]![0]!["priority"]!.GetValue<string>());
        Assert.Equal("reports:daily", page["jobs"]![0]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Bulk_create_stores_every_job_in_request_order(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        var jobs = new JsonArray();
        for (var i = 0; i < 250; i++)
        {
            jobs.Add(i % 2 == 0
                ? new JsonObject { ["name"] = "SendEmail", ["arguments"] = new JsonObject { ["to"] = $"u{i}@example.com", ["subject"] = "s" } }
                : new JsonObject { ["name"] = "PlaceOrder", ["arguments"] = JsonNode.Parse($$$"""{"order":{"number":"{{{i}}}","lines":[{"sku":"a","quantity":1}]},"tier":"Pro","tags":{}}""") });
        }

        using var response = await app.SendAsync(HttpMethod.Post, ApiApp.Api + "/jobs/bulk", json: new JsonObject { ["jobs"] = jobs }.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var body = JsonNode.Parse(text)!;
        Assert.Equal(250, body["count"]!.GetValue<int>());
        Assert.Equal("api-orders", body["jobs"]![1]!["queue"]!.GetValue<string>());
        Assert.Equal(125, (await app.Admin.GetQueueStatsAsync(ApiJobs.MailQueue)).Pending);
        Assert.Equal(125, (await app.Admin.GetQueueStatsAsync(ApiJobs.OrdersQueue)).Pending);

        var third = await app.GetJsonAsync($"{ApiApp.Api}/queues/api-mail/jobs/{body["jobs"]![2]!["id"]!.GetValue<string>()}");
        Assert.Equal("u2@example.com", third["arguments"]!["to"]!.GetValue<string>());
    }

    [Fact]
    public async Task Job_types_list_every_job_with_its_schema()
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory);
        var types = (await app.GetJsonAsync(ApiApp.Api + "/job-types")).AsArray();
        Assert.Equal(["AlwaysFails", "PlaceOrder", "SendEmail", "reports:daily"], types.Select(t => t!["name"]!.GetValue<string>()));
        var mail = types.Single(t => t!["name"]!.GetValue<string>() == "SendEmail")!;
        Assert.Equal("api-mail", mail["queue"]!.GetValue<string>());
        Assert.Equal("high", mail["priority"]!.GetValue<string>());
        Assert.Equal(5, mail["maxRetries"]!.GetValue<int>());
        Assert.Equal("string", mail["argumentsSchema"]!["properties"]!["to"]!["type"]!.GetValue<string>());
        Assert.Equal(["to", "subject"], mail["argumentsSchema"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));

        var one = await app.GetJsonAsync(ApiApp.Api + "/job-types/reports:daily");
        Assert.Equal("date", one["argumentsSchema"]!["properties"]!["day"]!["format"]!.GetValue<string>());
        using var missing = await app.SendAsync(HttpMethod.Get, ApiApp.Api + "/job-types/NoSuchJob");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("name", (await Problem.ReadAsync(missing)).Field);
    }
}
