using System.Net;
using System.Text;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.Tests;

/// <summary>
/// Bad input answers 4xx with problem details naming the field (and, in a body, the JSON path), never 5xx, and stores
/// nothing: the queue counts stay zero.
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class BadInputTests(RedisServerFixture redis)
{
    private const string Mail = ApiApp.Api + "/job-types/SendEmail/jobs";
    private const string Orders = ApiApp.Api + "/job-types/PlaceOrder/jobs";

    public static TheoryData<StoreKind, string, string, int, string?, string?> Bodies()
    {
        var data = new TheoryData<StoreKind, string, string, int, string?, string?>();
        foreach (var store in new[] { StoreKind.Memory, StoreKind.Redis })
        {
            data.Add(store, Mail, "not json", 400, "body", "$");
            data.Add(store, Mail, "{\"arguments\":", 400, "body", null);
            data.Add(store, Mail, "[1,2]", 400, "body", "$");
            data.Add(store, Mail, "{\"arguments\":{\"to\":5,\"subject\":\"s\"}}", 400, "arguments.to", "$.arguments.to");
            data.Add(store, Mail, "{\"arguments\":{\"subject\":\"s\"}}", 400, "arguments.to", "$.arguments.to");
            data.Add(store, Mail, "{\"arguments\":{\"to\":\"a\",\"subject\":\"s\",\"retryAfterSeconds\":\"soon\"}}", 400, "arguments.retryAfterSeconds", "$.arguments.retryAfterSeconds");
            data.Add(store, Mail, "{\"arguments\":[]}", 400, "arguments", "$.arguments");
            data.Add(store, Mail, "{\"args\":{}}", 400, "args", "$.args");
            data.Add(store, Mail, "{\"arguments\":{\"to\":\"a\",\"subject\":\"s\"},\"queue\":\"bad queue!\"}", 400, "queue", "$.queue");
            data.Add(store, Mail, "{\"arguments\":{\"to\":\"a\",\"subject\":\"s\"},\"priority\":\"urgent\"}", 400, "priority", "$.priority");
            data.Add(store, Mail, "{\"arguments\":{\"to\":\"a\",\"subject\":\"s\"},\"delay\":\"-00:00:01\"}", 400, "delay", "$.delay");
            data.Add(store, Mail, "{\"arguments\":{\"to\":\"a\",\"subject\":\"s\"},\"delay\":\"00:01:00\",\"runAt\":\"2030-01-01T00:00:00Z\"}", 400, "runAt", "$.runAt");
            data.Add(store, Mail, "{\"arguments\":{\"to\":\"a\",\"subject\":\"s\"},\"idempotencyKey\":\"\"}", 400, "idempotencyKey", "$.idempotencyKey");
            data.Add(store, Mail, "{\"arguments\":{\"to\":\"a\",\"subject\":\"s\"},\"timeout\":\"00:00:00\"}", 400, "timeout", "$.timeout");
            data.Add(store, Orders, "{\"arguments\":{\"order\":{\"number\":\"1\",\"lines\":[{\"sku\":\"a\",\"quantity\":\"two\"}]},\"tier\":\"Pro\",\"tags\":{}}}", 400, "arguments.order", "$.arguments.order.lines[0].quantity");
            data.Add(store, Orders, "{\"arguments\":{\"order\":{\"number\":\"1\",\"lines\":[]},\"tier\":\"Gold\",\"tags\":{}}}", 400, "arguments.tier", "$.arguments.tier");
            data.Add(store, ApiApp.Api + "/job-types/NoSuchJob/jobs", "{\"arguments\":{}}", 404, "name", null);
            data.Add(store, ApiApp.Api + "/jobs/bulk", "{\"jobs\":[]}", 400, "jobs", "$.jobs");
            data.Add(store, ApiApp.Api + "/jobs/bulk", "{\"items\":[]}", 400, "jobs", "$.jobs");
            data.Add(store, ApiApp.Api + "/jobs/bulk", "{\"jobs\":[{\"name\":\"SendEmail\",\"arguments\":{\"to\":\"a\",\"subject\":\"s\"}},{\"name\":\"SendEmail\",\"arguments\":{\"to\":\"a\"}}]}", 400, "jobs[1].arguments.subject", "$.jobs[1].arguments.subject");
            data.Add(store, ApiApp.Api + "/jobs/bulk", "{\"jobs\":[{\"name\":\"SendEmail\",\"arguments\":{\"to\":\"a\",\"subject\":\"s\"}},{\"name\":\"Nope\",\"arguments\":{}}]}", 404, "jobs[1].name", null);
            data.Add(store, ApiApp.Api + "/jobs/bulk", "{\"jobs\":[{\"arguments\":{}}]}", 400, "jobs[0].name", "$.jobs[0].name");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Bad_body_is_a_problem_naming_the_field_and_nothing_is_stored(StoreKind store, string path, string body, int status, string? field, string? jsonPath)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        using var response = await app.SendAsync(HttpMethod.Post, path, json: body);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status, problem.Status);
        Assert.Equal(field, problem.Field);
        if (jsonPath is not null)
        {
            Assert.Equal(jsonPath, problem.JsonPath);
        }

        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        Assert.Equal(0, await app.StoredJobsAsync());
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Oversized_arguments_and_bodies_are_413_and_nothing_is_stored(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis, dashboard: o => o.MaxBulkRequestBytes = 64 * 1024);
        var limit = app.Store.MaxPayloadBytes;

        // Arguments just over the store's MaxPayloadBytes, in a body the endpoint still reads.
        var big = new string('x', limit);
        using (var response = await app.SendAsync(HttpMethod.Post, Mail, json: $"{{\"arguments\":{{\"to\":\"a\",\"subject\":\"{big}\"}}}}"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("MaxPayloadBytes", (await Problem.ReadAsync(response)).Detail, StringComparison.Ordinal);
        }

        // A body over the endpoint's cap, announced by Content-Length and streamed without one (chunked).
        var huge = $"{{\"arguments\":{{\"to\":\"a\",\"subject\":\"{new string('y', limit + 70 * 1024)}\"}}}}";
        using (var response = await app.SendAsync(HttpMethod.Post, Mail, json: huge))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            await Problem.ReadAsync(response);
        }

        using (var response = await app.SendAsync(HttpMethod.Post, Mail, configure: r => r.Content = new ChunkedContent(huge)))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            await Problem.ReadAsync(response);
        }

        using (var response = await app.SendAsync(HttpMethod.Post, ApiApp.Api + "/jobs/bulk", json: $"{{\"jobs\":[{{\"name\":\"SendEmail\",\"arguments\":{{\"to\":\"a\",\"subject\":\"{new string('z', 70 * 1024)}\"}}}}]}}"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            await Problem.ReadAsync(response);
        }

        Assert.Equal(0, await app.StoredJobsAsync());
    }

    [Fact]
    public async Task Too_many_bulk_jobs_and_a_body_that_is_not_json_are_refused()
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory, dashboard: o => o.MaxBulkJobs = 3);
        var four = string.Join(",", Enumerable.Repeat("{\"name\":\"SendEmail\",\"arguments\":{\"to\":\"a\",\"subject\":\"s\"}}", 4));
        using (var response = await app.SendAsync(HttpMethod.Post, ApiApp.Api + "/jobs/bulk", json: $"{{\"jobs\":[{four}]}}"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("jobs", (await Problem.ReadAsync(response)).Field);
        }

        using (var response = await app.SendAsync(HttpMethod.Post, Mail, configure: r => r.Content = new StringContent("to=a", Encoding.UTF8, "application/x-www-form-urlencoded")))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            await Problem.ReadAsync(response);
        }

        using (var response = await app.SendAsync(HttpMethod.Post, Mail))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("body", (await Problem.ReadAsync(response)).Field);
        }

        Assert.Equal(0, await app.StoredJobsAsync());
    }

    public static TheoryData<string, string, string> BadPaths() => new()
    {
        { "GET", "/queues/bad%20queue", "queue" },
        { "GET", "/queues/" + new string('q', 65) + "/jobs", "queue" },
        { "GET", "/queues/api-mail/jobs?state=finished", "state" },
        { "GET", "/queues/api-mail/jobs?offset=-1", "offset" },
        { "GET", "/queues/api-mail/jobs?count=0", "count" },
        { "GET", "/queues/api-mail/jobs?count=501", "count" },
        { "GET", "/queues/api-mail/jobs?count=ten", "count" },
        { "GET", "/queues/api-mail/dead-letters?offset=1e3", "offset" },
        { "GET", "/queues/api-mail/daily-totals?days=31", "days" },
        { "GET", "/queues/api-mail/jobs/bad%20id", "id" },
        { "GET", "/queues/api-mail/jobs/" + new string('a', 65), "id" },
        { "POST", "/queues/api-mail/jobs/bad!id/cancel", "id" },
        { "DELETE", "/queues/bad!queue/jobs/abc", "queue" },
        { "POST", "/queues/bad!queue/pause", "queue" },
    };

    [Theory]
    [MemberData(nameof(BadPaths))]
    public async Task Invalid_queue_id_state_and_paging_values_are_400_naming_the_field(string method, string path, string field)
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory);
        using var response = await app.SendAsync(new HttpMethod(method), ApiApp.Api + path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await Problem.ReadAsync(response)).Field);
        Assert.False((await app.Admin.GetQueueStatsAsync(ApiJobs.MailQueue)).Paused);
    }

    [Theory]
    [InlineData("GET", "/nothing-here")]
    [InlineData("PUT", "/queues/api-mail/pause")]
    [InlineData("GET", "/queues/api-mail/pause")]
    [InlineData("PATCH", "/job-types/SendEmail/jobs")]
    public async Task Unknown_paths_and_methods_are_404_problems(string method, string path)
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory);
        using var response = await app.SendAsync(new HttpMethod(method), ApiApp.Api + path, json: method == "GET" ? null : "{}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Problem.ReadAsync(response);
        Assert.Equal(0, await app.StoredJobsAsync());
        Assert.False((await app.Admin.GetQueueStatsAsync(ApiJobs.MailQueue)).Paused);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"all\":false}")]
    [InlineData("{\"ids\":[]}")]
    [InlineData("{\"ids\":[\"bad id\"]}")]
    [InlineData("{\"ids\":[\"a\"],\"all\":true}")]
    [InlineData("{\"jobName\":\"bad name!\"}")]
    [InlineData("{\"everything\":true}")]
    public async Task Dead_letter_selection_must_be_explicit(string body)
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory);
        foreach (var action in new[] { "requeue", "delete" })
        {
            using var response = await app.SendAsync(HttpMethod.Post, $"{ApiApp.Api}/queues/api-mail/dead-letters/{action}", json: body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            await Problem.ReadAsync(response);
        }
    }

    /// <summary>A body sent without Content-Length.</summary>
    private sealed class ChunkedContent(string text) : HttpContent
    {
        private readonly byte[] _bytes = Encoding.UTF8.GetBytes(text);

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
