using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Client;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.Tests;

/// <summary>Every admin endpoint against the real stores (in-memory and Redis), with a worker where the state needs one.</summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class AdminEndpointTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Queues_stats_and_pages_show_counts_totals_and_jobs_in_order(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        var client = app.App.Services.GetRequiredService<IJobClient>();
        var ids = new List<JobId>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await Jobs.SendEmail.EnqueueAsync(client, $"u{i}@example.com", "s"));
        }

        await Jobs.SendEmail.ScheduleAsync(client, "later@example.com", "s", null, TimeSpan.FromHours(1));

        var queues = (await app.GetJsonAsync(ApiApp.Api + "/queues")).AsArray();
        var mail = queues.Single(q => q!["name"]!.GetValue<string>() == ApiJobs.MailQueue)!;
        Assert.Equal(7, mail["pending"]!.GetValue<long>());
        Assert.Equal(1, mail["scheduled"]!.GetValue<long>());

        var stats = await app.GetJsonAsync(ApiApp.Api + "/stats");
        Assert.Equal(7, stats["totals"]!["pending"]!.GetValue<long>());
        Assert.Equal(1, stats["totals"]!["scheduled"]!.GetValue<long>());

        var one = await app.GetJsonAsync(ApiApp.Api + "/queues/api-mail");
        Assert.Equal(7, one["pending"]!.GetValue<long>());

        var first = await app.GetJsonAsync(ApiApp.Api + "/queues/api-mail/jobs?state=pending&offset=0&count=5");
        var second = await app.GetJsonAsync(ApiApp.Api + "/queues/api-mail/jobs?state=pending&offset=5&count=5");
        Assert.Equal(7, first["total"]!.GetValue<long>());
        Assert.Equal("pending", first["state"]!.GetValue<string>());
        Assert.Equal(5, first["count"]!.GetValue<int>());
        Assert.Equal(2, second["count"]!.GetValue<int>());
        var paged = first["jobs"]!.AsArray().Concat(second["jobs"]!.AsArray()).Select(j => j!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Select(i => i.Value), paged);

        // An unknown queue is an empty queue, not an error.
        var empty = await app.GetJsonAsync(ApiApp.Api + "/queues/never-used/jobs");
        Assert.Equal(0, empty["total"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Get_cancel_run_now_and_delete_act_on_one_job(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        var client = app.App.Services.GetRequiredService<IJobClient>();
        var pending = await Jobs.SendEmail.EnqueueAsync(client, "a@example.com", "s");
        var scheduled = await Jobs.SendEmail.ScheduleAsync(client, "b@example.com", "s", null, TimeSpan.FromHours(1));
        var doomed = await Jobs.SendEmail.EnqueueAsync(client, "c@example.com", "s");
        var path = ApiApp.Api + "/queues/api-mail/jobs/";

        using (var runNow = await app.SendAsync(HttpMethod.Post, path + scheduled + "/run-now"))
        {
            Assert.Equal(HttpStatusCode.OK, runNow.StatusCode);
        }

        Assert.Equal("pending", (await app.GetJsonAsync(path + scheduled))["state"]!.GetValue<string>());
        using (var again = await app.SendAsync(HttpMethod.Post, path + scheduled + "/run-now"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
            await Problem.ReadAsync(again);
        }

        using (var cancel = await app.SendAsync(HttpMethod.Post, path + pending + "/cancel"))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            Assert.Equal("cancel", JsonNode.Parse(await cancel.Content.ReadAsStringAsync())!["action"]!.GetValue<string>());
        }

        var cancelled = await app.Admin.GetJobAsync(ApiJobs.MailQueue, pending);
        Assert.True(cancelled is null || cancelled.State == Storage.JobState.Cancelled);
        using (var twice = await app.SendAsync(HttpMethod.Post, path + pending + "/cancel"))
        {
            Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
        }

        using (var delete = await app.SendAsync(HttpMethod.Delete, path + doomed))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        using (var gone = await app.SendAsync(HttpMethod.Get, path + doomed))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Equal("id", (await Problem.ReadAsync(gone)).Field);
        }

        Assert.Equal(1, (await app.Admin.GetQueueStatsAsync(ApiJobs.MailQueue)).Pending);
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Pause_and_resume_a_queue(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis);
        using (var pause = await app.SendAsync(HttpMethod.Post, ApiApp.Api + "/queues/api-mail/pause"))
        {
            Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        }

        Assert.True((await app.GetJsonAsync(ApiApp.Api + "/queues/api-mail"))["paused"]!.GetValue<bool>());
        using (var resume = await app.SendAsync(HttpMethod.Post, ApiApp.Api + "/queues/api-mail/resume"))
        {
            Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        }

        Assert.False((await app.GetJsonAsync(ApiApp.Api + "/queues/api-mail"))["paused"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Dead_letters_are_listed_with_errors_and_requeued_or_deleted_one_by_filter_by_ids_or_all(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis, runWorker: true);
        var client = app.App.Services.GetRequiredService<IJobClient>();
        for (var i = 0; i < 6; i++)
        {
            await Jobs.AlwaysFails.EnqueueAsync(client, i < 2 ? "disk full" : "timeout " + i);
        }

        await Eventually.TrueAsync(async () => (await app.Admin.GetQueueStatsAsync(ApiJobs.FailingQueue)).Dead == 6, "six dead letters", TimeSpan.FromSeconds(20));

        var page = await app.GetJsonAsync(ApiApp.Api + "/queues/api-failing/dead-letters?count=10");
        Assert.Equal(6, page["total"]!.GetValue<long>());
        var job = page["jobs"]![0]!;
        Assert.Equal("dead", job["state"]!.GetValue<string>());
        Assert.Contains("failed on purpose", job["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        var error = job["errors"]!.AsArray().Single()!;
        Assert.Equal(1, error["attempt"]!.GetValue<int>());
        Assert.Contains("InvalidOperationException", error["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(" at ", error["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(job["finishedAt"]);
        Assert.Equal("AlwaysFails", job["name"]!.GetValue<string>());

        var ids = page["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()).ToList();
        var byError = await PostCountAsync(app, "delete", "{\"errorContains\":\"disk full\"}");
        Assert.Equal(2, byError);
        var remaining = (await app.GetJsonAsync(ApiApp.Api + "/queues/api-failing/dead-letters"))["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(4, remaining.Count);

        using (var one = await app.SendAsync(HttpMethod.Delete, ApiApp.Api + "/queues/api-failing/dead-letters/" + remaining[0]))
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        }

        using (var notDead = await app.SendAsync(HttpMethod.Post, ApiApp.Api + "/queues/api-failing/dead-letters/" + remaining[0] + "/requeue"))
        {
            Assert.Equal(HttpStatusCode.NotFound, notDead.StatusCode);
        }

        Assert.Equal(1, await PostCountAsync(app, "delete", $"{{\"ids\":[\"{remaining[1]}\",\"{ids.Except(remaining).First()}\"]}}"));
        Assert.Equal(1, await PostCountAsync(app, "delete", "{\"jobName\":\"AlwaysFails\",\"errorContains\":\"" + Error(page, remaining[2]) + "\"}"));
        Assert.Equal(1, await PostCountAsync(app, "delete", "{\"all\":true}"));
        Assert.Equal(0, (await app.Admin.GetQueueStatsAsync(ApiJobs.FailingQueue)).Dead);
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Requeue_moves_dead_letters_back_to_ready(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis, runWorker: true);
        var client = app.App.Services.GetRequiredService<IJobClient>();
        for (var i = 0; i < 3; i++)
        {
            await Jobs.AlwaysFails.EnqueueAsync(client, "r" + i);
        }

        await Eventually.TrueAsync(async () => (await app.Admin.GetQueueStatsAsync(ApiJobs.FailingQueue)).Dead == 3, "three dead letters", TimeSpan.FromSeconds(20));
        await app.Admin.PauseAsync(ApiJobs.FailingQueue);
        var ids = (await app.GetJsonAsync(ApiApp.Api + "/queues/api-failing/dead-letters"))["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()).ToList();

        using (var one = await app.SendAsync(HttpMethod.Post, ApiApp.Api + "/queues/api-failing/dead-letters/" + ids[0] + "/requeue"))
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        }

        Assert.Equal(2, await PostCountAsync(app, "requeue", "{\"all\":true}"));
        var stats = await app.Admin.GetQueueStatsAsync(ApiJobs.FailingQueue);
        Assert.Equal(0, stats.Dead);
        Assert.Equal(3, stats.Pending);
        Assert.Equal(0, (await app.GetJsonAsync(ApiApp.Api + "/queues/api-failing/jobs/" + ids[0]))["attempt"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Redis)]
    public async Task Workers_daily_totals_and_status_describe_the_running_system(StoreKind store)
    {
        await using var app = await ApiApp.StartAsync(store, redis, runWorker: true);
        var client = app.App.Services.GetRequiredService<IJobClient>();
        await Jobs.SendEmail.EnqueueAsync(client, "a@example.com", "s");
        await Jobs.AlwaysFails.EnqueueAsync(client, "x");
        await Eventually.TrueAsync(async () => (await app.Admin.GetQueueStatsAsync(ApiJobs.FailingQueue)).Dead == 1
            && (await app.Admin.GetQueueStatsAsync(ApiJobs.MailQueue)).ProcessedToday == 1, "one processed, one dead", TimeSpan.FromSeconds(20));

        await Eventually.TrueAsync(async () => (await app.GetJsonAsync(ApiApp.Api + "/workers")).AsArray().Count == 1, "one worker", TimeSpan.FromSeconds(20));
        var worker = (await app.GetJsonAsync(ApiApp.Api + "/workers")).AsArray().Single()!;
        Assert.Contains(ApiJobs.MailQueue, worker["queues"]!.AsArray().Select(q => q!.GetValue<string>()));
        Assert.True(worker["concurrency"]!.GetValue<int>() > 0);

        var daily = await app.GetJsonAsync(ApiApp.Api + "/queues/api-mail/daily-totals?days=3");
        var days = daily["days"]!.AsArray();
        Assert.Equal(3, days.Count);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), days[2]!["day"]!.GetValue<string>());
        Assert.Equal(1, days[2]!["processed"]!.GetValue<long>());
        Assert.Equal(1, (await app.GetJsonAsync(ApiApp.Api + "/queues/api-failing/daily-totals"))["days"]!.AsArray().Last()!["failed"]!.GetValue<long>());

        var status = await app.GetJsonAsync(ApiApp.Api + "/status");
        Assert.True(status["available"]!.GetValue<bool>());
        Assert.Equal(store == StoreKind.Redis ? "redis" : "in-memory", status["kind"]!.GetValue<string>());
        if (store == StoreKind.Redis)
        {
            Assert.Equal("primary", status["servers"]![0]!["role"]!.GetValue<string>());
            Assert.NotNull(status["roundTripMs"]);
        }
    }

    private static string Error(JsonNode page, string id)
        => page["jobs"]!.AsArray().Single(j => j!["id"]!.GetValue<string>() == id)!["lastError"]!.GetValue<string>().Split('\n')[0].Split(": ").Last();

    private static async Task<long> PostCountAsync(ApiApp app, string action, string body)
    {
        using var response = await app.SendAsync(HttpMethod.Post, $"{ApiApp.Api}/queues/api-failing/dead-letters/{action}", json: body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["count"]!.GetValue<long>();
    }
}
