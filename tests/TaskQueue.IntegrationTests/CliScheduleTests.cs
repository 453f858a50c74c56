using System.Text.Json;
using TaskQueue.Redis;
using TaskQueue.Scheduling;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests;

/// <summary>
/// <c>tq schedules</c>: the real <c>tq</c> process against a real redis-server; what it prints, the <c>--json</c>
/// shapes, exit code 3 for an unknown schedule, and that pause, resume and delete change the store (checked through
/// <see cref="IRecurringJobClient"/>).
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class CliScheduleTests(RedisServerFixture redis) : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();
    private RedisJobStore _store = null!;
    private RecurringJobClient _recurring = null!;

    private static string TqDll => Path.Combine(RepositoryPaths.Root, "src", "TaskQueue.Cli", "bin", RepositoryPaths.Configuration, "net10.0", "tq.dll");

    public async Task InitializeAsync()
    {
        _store = await RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = redis.ConnectionString, KeyPrefix = _prefix });
        _recurring = new RecurringJobClient(_store);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task List_and_show_print_tables_and_json_with_next_and_last_run()
    {
        await _recurring.UpsertAsync(new RecurringSchedule
        {
            Name = "digest-ada",
            Cron = "0 8 * * MON",
            TimeZone = "Europe/Berlin",
            JobName = "send-digest",
            Queue = "emails",
            Payload = """{"to":"ada@example.com"}"""u8.ToArray(),
            Misfire = MisfirePolicy.Skip,
            Overlap = OverlapPolicy.SkipIfRunning,
        });
        await _recurring.UpsertAsync(new RecurringSchedule { Name = "purge-carts", Cron = "*/5 * * * *", JobName = "purge-carts", Queue = "maintenance", DeclaredBy = "Shop" });
        var next = (await _recurring.GetAsync("digest-ada"))!.NextDueAt!.Value;

        var table = await TqAsync("schedules", "list");
        var json = await TqAsync("schedules", "list", "--json");
        var show = await TqAsync("schedules", "show", "digest-ada");
        var showJson = await TqAsync("schedules", "show", "purge-carts", "--json");

        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"schedule\s+job\s+queue\s+cron\s+time zone\s+next run\s+last run\s+last job\s+outcome\s+paused", table.Output);
        Assert.Matches(@"digest-ada\s+send-digest\s+emails\s+0 8 \* \* MON\s+Europe/Berlin\s+" + Regex(next) + @"\s+-\s+-\s+-\s+no", table.Output);
        Assert.Contains("2 schedule(s).", table.Output, StringComparison.Ordinal);

        var list = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal(2, list.GetArrayLength());
        var digest = list.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "digest-ada");
        Assert.Equal(next, digest.GetProperty("nextDueAt").GetDateTimeOffset());
        Assert.Equal("Skip", digest.GetProperty("misfire").GetString());
        Assert.Equal("SkipIfRunning", digest.GetProperty("overlap").GetString());
        Assert.Equal("dynamic", digest.GetProperty("origin").GetString());
        Assert.Equal("ada@example.com", digest.GetProperty("arguments").GetProperty("to").GetString());
        Assert.Equal(JsonValueKind.Null, digest.GetProperty("lastJobId").ValueKind);

        Assert.Equal(0, show.ExitCode);
        Assert.Contains("cron        0 8 * * MON   time zone Europe/Berlin", show.Output, StringComparison.Ordinal);
        Assert.Contains("""arguments   {"to":"ada@example.com"}""", show.Output, StringComparison.Ordinal);
        Assert.Contains("misfire Skip   overlap SkipIfRunning", show.Output, StringComparison.Ordinal);
        Assert.Contains("next run    " + next.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), show.Output, StringComparison.Ordinal);
        var purge = JsonDocument.Parse(showJson.Output).RootElement;
        Assert.Equal("declared", purge.GetProperty("origin").GetString());
        Assert.Equal("Shop", purge.GetProperty("declaredBy").GetString());
    }

    [Fact]
    public async Task Last_occurrence_job_and_outcome_are_listed()
    {
        await _recurring.UpsertAsync(new RecurringSchedule { Name = "tick", Cron = "* * * * * *", JobName = "tick", Queue = "ticks" });
        var state = (await _store.GetScheduleAsync("tick"))!;
        // One occurrence enqueued the way a scheduler does it (compare-and-set on the next due instant).
        var scheduler = new RecurringScheduler(_store);
        await WaitForLastJobAsync(scheduler, "tick");
        var info = (await _recurring.GetAsync("tick"))!;

        var list = await TqAsync("schedules", "list");
        var json = JsonDocument.Parse((await TqAsync("schedules", "show", "tick", "--json")).Output).RootElement;

        Assert.NotNull(state);
        Assert.Matches(@"tick\s+tick\s+ticks\s+\* \* \* \* \* \*\s+UTC\s+\S+ \S+\s+\S+ \S+\s+" + info.LastJobId!.Value.Value + @"\s+Pending\s+no", list.Output);
        Assert.Equal(info.LastJobId.Value.Value, json.GetProperty("lastJobId").GetString());
        Assert.Equal("Pending", json.GetProperty("lastOutcome").GetString());
    }

    [Fact]
    public async Task Pause_resume_and_delete_take_effect_in_the_store()
    {
        await _recurring.UpsertAsync(new RecurringSchedule { Name = "hourly", Cron = "0 * * * *", JobName = "hourly", Queue = "work" });

        var pause = await TqAsync("schedules", "pause", "hourly");
        Assert.Equal(0, pause.ExitCode);
        Assert.Contains("Paused schedule 'hourly'.", pause.Output, StringComparison.Ordinal);
        Assert.True((await _recurring.GetAsync("hourly"))!.State.Paused);
        Assert.Matches(@"hourly\s+hourly\s+work\s+0 \* \* \* \*\s+UTC\s+-\s+-\s+-\s+-\s+yes", (await TqAsync("schedules", "list")).Output);

        var resume = await TqAsync("schedules", "resume", "hourly", "--json");
        Assert.Equal(0, resume.ExitCode);
        Assert.Equal("resume", JsonDocument.Parse(resume.Output).RootElement.GetProperty("action").GetString());
        Assert.Equal(1, JsonDocument.Parse(resume.Output).RootElement.GetProperty("count").GetInt64());
        var resumed = (await _recurring.GetAsync("hourly"))!;
        Assert.False(resumed.State.Paused);
        Assert.Equal(0, resumed.NextDueAt!.Value.Minute);
        var again = await TqAsync("schedules", "resume", "hourly");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("was not paused", again.Output, StringComparison.Ordinal);

        var delete = await TqAsync("schedules", "delete", "hourly");
        Assert.Equal(0, delete.ExitCode);
        Assert.Contains("Deleted schedule 'hourly'.", delete.Output, StringComparison.Ordinal);
        Assert.Null(await _recurring.GetAsync("hourly"));
    }

    [Fact]
    public async Task Unknown_schedule_exits_3_and_a_bad_name_2()
    {
        foreach (var action in new[] { "show", "pause", "resume", "delete" })
        {
            var result = await TqAsync("schedules", action, "no-such-schedule");
            Assert.True(result.ExitCode == 3, $"tq schedules {action}: exit {result.ExitCode}: {result.StandardError}");
            Assert.Contains("Schedule 'no-such-schedule' does not exist", result.StandardError, StringComparison.Ordinal);
        }

        var json = await TqAsync("schedules", "show", "no-such-schedule", "--json");
        Assert.Equal(3, JsonDocument.Parse(json.StandardError).RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal(2, (await TqAsync("schedules", "pause", "bad name!")).ExitCode);
        var empty = await TqAsync("schedules", "list", "--json");
        Assert.Equal(0, empty.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(empty.Output).RootElement.GetArrayLength());
    }

    private static string Regex(DateTimeOffset at)
        => System.Text.RegularExpressions.Regex.Escape(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));

    private async Task WaitForLastJobAsync(RecurringScheduler scheduler, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await _recurring.GetAsync(name))!.LastJobId is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No occurrence of {name} was enqueued within 20 s.");
            await scheduler.RunPassAsync();
            await Task.Delay(200);
        }
    }

    private Task<ProcessRunner.Result> TqAsync(params string[] arguments)
        => ProcessRunner.RunAsync("dotnet", [TqDll, "--redis", redis.ConnectionString, "--prefix", _prefix, .. arguments], RepositoryPaths.Root, Limit);
}
