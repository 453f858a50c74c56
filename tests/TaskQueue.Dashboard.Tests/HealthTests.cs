using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.Tests;

/// <summary>Liveness and readiness, as API endpoints and as the host's own health checks; Redis down makes readiness 503.</summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class HealthTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Health_and_ready_answer_without_a_key_and_ready_reports_the_round_trip(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        var health = await app.GetJsonAsync(ApiApp.Api + "/health", key: null);
        Assert.Equal("healthy", health["status"]!.GetValue<string>());
        var ready = await app.GetJsonAsync(ApiApp.Api + "/ready", key: null);
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        Assert.Equal(store == StoreKind.Redis ? "redis" : "in-memory", ready["store"]!.GetValue<string>());
        Assert.True(ready["roundTripMs"]!.GetValue<double>() >= 0);
    }

    [Fact]
    public async Task Ready_is_503_with_problem_details_while_redis_is_down_and_200_again_after()
    {
        var server = new NotYetStartedRedisServerFixture();
        await server.InitializeAsync();
        try
        {
            await server.StartAsync();
            await using var app = await ApiApp.StartAsync(StoreKind.Redis, redisConnectionString: server.ConnectionString + ",connectTimeout=500,syncTimeout=1000,asyncTimeout=1000",
                configureBuilder: b => b.Services.AddHealthChecks().AddTaskQueue(),
                configureApp: a => a.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(TaskQueueHealthChecksBuilderExtensions.ReadyTag) }));
            await Eventually.TrueAsync(async () => (await app.SendAsync(HttpMethod.Get, ApiApp.Api + "/ready", key: null)).StatusCode == HttpStatusCode.OK, "ready with Redis up");
            using (var up = await app.Http.GetAsync("/healthz/ready"))
            {
                Assert.Equal(HttpStatusCode.OK, up.StatusCode);
                Assert.Equal("Healthy", await up.Content.ReadAsStringAsync());
            }

            server.Stop();
            using (var down = await app.SendAsync(HttpMethod.Get, ApiApp.Api + "/ready", key: null))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
                var problem = await Problem.ReadAsync(down);
                Assert.Equal(503, problem.Status);
                Assert.Contains("redis", problem.Detail, StringComparison.Ordinal);
            }

            using (var check = await app.Http.GetAsync("/healthz/ready"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, check.StatusCode);
                Assert.Equal("Unhealthy", await check.Content.ReadAsStringAsync());
            }

            // Liveness does not depend on the store.
            using (var live = await app.SendAsync(HttpMethod.Get, ApiApp.Api + "/health", key: null))
            {
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }

            // Other endpoints answer 503 problem details, never a bare 500.
            using (var stats = await app.SendAsync(HttpMethod.Get, ApiApp.Api + "/stats"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, stats.StatusCode);
                await Problem.ReadAsync(stats);
            }

            await server.StartAsync();
            await Eventually.TrueAsync(async () => (await app.SendAsync(HttpMethod.Get, ApiApp.Api + "/ready", key: null)).StatusCode == HttpStatusCode.OK, "ready again", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Health_checks_on_the_hosts_own_endpoint_include_liveness_and_the_store()
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory,
            configureBuilder: b => b.Services.AddHealthChecks().AddTaskQueue(),
            configureApp: a => a.MapHealthChecks("/healthz"));
        using var response = await app.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
