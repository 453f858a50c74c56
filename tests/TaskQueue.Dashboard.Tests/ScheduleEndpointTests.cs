using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Scheduling;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.Tests;

/// <summary>
/// The schedule endpoints against the real stores (in-memory and Redis): list and one with the last occurrence's
/// outcome (a real scheduler and worker run it), pause, resume and delete checked through <see cref="IRecurringJobClient"/>,
/// and 400/404 problem details naming the schedule.
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class ScheduleEndpointTests(RedisServerFixture redis)
{
    private const string Schedules = ApiApp.Api + "/schedules";

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task List_and_get_show_definition_next_and_last_run_and_the_last_outcome(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis, runWorker: true);
        var recurring = app.App.Services.GetRequiredService<IRecurringJobClient>();
        await recurring.UpsertAsync(new RecurringSchedule
        {
            Name = "api-digest",
            Cron = "0 8 * * MON",
            TimeZone = "Europe/Berlin",
            JobName = "SendEmail",
            Queue = ApiJobs.MailQueue,
            Payload = """{"to":"digest@example.com","subject":"weekly"}"""u8.ToArray(),
            Misfire = MisfirePolicy.Skip,
            Overlap = OverlapPolicy.SkipIfRunning,
            DeclaredBy = "ApiTestsApp",
        });
        await recurring.UpsertAsync(new RecurringSchedule
        {
            Name = "api-ticks",
            Cron = "* * * * * *",
            JobName = "SendEmail",
            Queue = ApiJobs.MailQueue,
            Payload = """{"to":"ticks@example.com","subject":"tick"}"""u8.ToArray(),
        });

        // The scheduler enqueues an occurrence of api-ticks within a second or two, and the worker runs it.
        var ticks = await WaitForAsync(app, "api-ticks", s => s["lastOutcome"]?.GetValue<string>() == "succeeded");
        var info = (await recurring.GetAsync("api-ticks"))!;
        Assert.NotNull(info.LastJobId);
        Assert.Equal(ApiJobs.MailQueue, ticks["queue"]!.GetValue<string>());
        Assert.Equal("* * * * * *", ticks["cron"]!.GetValue<string>());
        Assert.Equal("UTC", ticks["timeZone"]!.GetValue<string>());
        Assert.False(ticks["paused"]!.GetValue<bool>());
        Assert.NotNull(ticks["nextDueAt"]);
        Assert.NotNull(ticks["lastDueAt"]);
        Assert.NotNull(ticks["lastJobId"]);
        Assert.Equal("dynamic", ticks["origin"]!.GetValue<string>());
        Assert.Equal("runOnce", ticks["misfire"]!.GetValue<string>());
        Assert.Equal("allow", ticks["overlap"]!.GetValue<string>());
        var job = await app.GetJsonAsync($"{ApiApp.Api}/queues/{ApiJobs.MailQueue}/jobs/{ticks["lastJobId"]!.GetValue<string>()}");
        Assert.Equal("ticks@example.com", job["arguments"]!["to"]!.GetValue<string>());

        var list = (await app.GetJsonAsync(Schedules)).AsArray();
        Assert.Equal(["api-digest", "api-ticks"], list.Select(s => s!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var digest = list.Single(s => s!["name"]!.GetValue<string>() == "api-digest")!;
        Assert.Equal("SendEmail", digest["jobName"]!.GetValue<string>());
        Assert.Equal("0 8 * * MON", digest["cron"]!.GetValue<string>());
        Assert.Equal("Europe/Berlin", digest["timeZone"]!.GetValue<string>());
        Assert.Equal("skip", digest["misfire"]!.GetValue<string>());
        Assert.Equal("skipIfRunning", digest["overlap"]!.GetValue<string>());
        Assert.Equal("declared", digest["origin"]!.GetValue<string>());
        Assert.Equal("ApiTestsApp", digest["declaredBy"]!.GetValue<string>());
        Assert.Equal("digest@example.com", digest["arguments"]!["to"]!.GetValue<string>());
        Assert.Null(digest["lastDueAt"]);
        Assert.Null(digest["lastJobId"]);
        Assert.Null(digest["lastOutcome"]);
        var next = digest["nextDueAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal((await recurring.GetAsync("api-digest"))!.NextDueAt, next);
        Assert.Equal(DayOfWeek.Monday, TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).DayOfWeek);
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Pause_resume_and_delete_act_on_the_schedule(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        var recurring = app.App.Services.GetRequiredService<IRecurringJobClient>();
        await recurring.UpsertAsync(Hourly("api-hourly"));

        using var pause = await app.SendAsync(HttpMethod.Post, Schedules + "/api-hourly/pause");
        var paused = JsonNode.Parse(await pause.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.True(paused["paused"]!.GetValue<bool>());
        Assert.Null(paused["nextDueAt"]);
        Assert.True((await recurring.GetAsync("api-hourly"))!.State.Paused);

        using var resume = await app.SendAsync(HttpMethod.Post, Schedules + "/api-hourly/resume");
        var resumed = JsonNode.Parse(await resume.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.False(resumed["paused"]!.GetValue<bool>());
        Assert.Equal(0, resumed["nextDueAt"]!.GetValue<DateTimeOffset>().Minute);
        Assert.False((await recurring.GetAsync("api-hourly"))!.State.Paused);

        // Resuming a schedule that runs changes nothing.
        using var again = await app.SendAsync(HttpMethod.Post, Schedules + "/api-hourly/resume");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        using var delete = await app.SendAsync(HttpMethod.Delete, Schedules + "/api-hourly");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal("delete", JsonNode.Parse(await delete.Content.ReadAsStringAsync())!["action"]!.GetValue<string>());
        Assert.Null(await recurring.GetAsync("api-hourly"));
        Assert.Empty((await app.GetJsonAsync(Schedules)).AsArray());
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Unknown_schedule_is_404_naming_it_and_an_invalid_name_400(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, "/no-such-schedule"),
            (HttpMethod.Post, "/no-such-schedule/pause"),
            (HttpMethod.Post, "/no-such-schedule/resume"),
            (HttpMethod.Delete, "/no-such-schedule"),
        })
        {
            using var response = await app.SendAsync(method, Schedules + path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
            var problem = await Problem.ReadAsync(response);
            Assert.Equal("name", problem.Field);
            Assert.Contains("'no-such-schedule'", problem.Detail, StringComparison.Ordinal);
        }

        using var invalid = await app.SendAsync(HttpMethod.Get, Schedules + "/" + Uri.EscapeDataString("bad name!"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("name", (await Problem.ReadAsync(invalid)).Field);
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Read_only_key_reads_schedules_but_actions_are_403_and_no_key_401(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        var recurring = app.App.Services.GetRequiredService<IRecurringJobClient>();
        await recurring.UpsertAsync(Hourly("api-guarded"));

        using var list = await app.SendAsync(HttpMethod.Get, Schedules, ApiApp.ReadOnlyKey);
        using var one = await app.SendAsync(HttpMethod.Get, Schedules + "/api-guarded", ApiApp.ReadOnlyKey);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        foreach (var (method, path) in new[] { (HttpMethod.Post, "/api-guarded/pause"), (HttpMethod.Post, "/api-guarded/resume"), (HttpMethod.Delete, "/api-guarded") })
        {
            using var readOnly = await app.SendAsync(method, Schedules + path, ApiApp.ReadOnlyKey);
            Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
            await Problem.ReadAsync(readOnly);
            using var none = await app.SendAsync(method, Schedules + path, key: null);
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        }

        using var anonymous = await app.SendAsync(HttpMethod.Get, Schedules, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var state = (await recurring.GetAsync("api-guarded"))!.State;
        Assert.False(state.Paused);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_schedule_endpoints()
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Memory);
        var paths = (await app.GetJsonAsync("/openapi/v1.json", key: null))["paths"]!.AsObject();
        Assert.NotNull(paths[$"{ApiApp.Api}/schedules"]!["get"]);
        Assert.NotNull(paths[$"{ApiApp.Api}/schedules/{{name}}"]!["get"]);
        Assert.NotNull(paths[$"{ApiApp.Api}/schedules/{{name}}"]!["delete"]);
        Assert.Equal("TaskQueue_PauseSchedule", paths[$"{ApiApp.Api}/schedules/{{name}}/pause"]!["post"]!["operationId"]!.GetValue<string>());
        Assert.NotNull(paths[$"{ApiApp.Api}/schedules/{{name}}/resume"]!["post"]);
    }

    private static RecurringSchedule Hourly(string name) => new()
    {
        Name = name,
        Cron = "0 * * * *",
        JobName = "SendEmail",
        Queue = ApiJobs.MailQueue,
        Payload = """{"to":"hourly@example.com","subject":"s"}"""u8.ToArray(),
    };

    private static async Task<JsonNode> WaitForAsync(ApiApp app, string name, Func<JsonNode, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var schedule = await app.GetJsonAsync($"{Schedules}/{name}");
            if (condition(schedule))
            {
                return schedule;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Schedule {name} did not reach the expected state within 20 s: {schedule.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}
