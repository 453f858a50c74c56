using System.Text.Json;
using TaskQueue.Admin;
using TaskQueue.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests;

/// <summary>
/// The real <c>tq</c> process against a real redis-server: what it prints, the <c>--json</c> shapes, the exit codes,
/// and that its actions change the store (checked through <see cref="IJobAdmin"/>).
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class CliTests(RedisServerFixture redis) : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();
    private RedisJobStore _store = null!;

    private static string TqDll => Path.Combine(RepositoryPaths.Root, "src", "TaskQueue.Cli", "bin", RepositoryPaths.Configuration, "net10.0", "tq.dll");

    public async Task InitializeAsync()
        => _store = await RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = redis.ConnectionString, KeyPrefix = _prefix });

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Enqueue_then_queues_and_jobs_list_show_it_in_tables_and_json()
    {
        var enqueue = await TqAsync("enqueue", "send-email", """{"to":"ada@example.com"}""", "--queue", "emails", "--json");
        Assert.Equal(0, enqueue.ExitCode);
        var id = JsonDocument.Parse(enqueue.Output).RootElement.GetProperty("id").GetString()!;

        var queues = await TqAsync("queues");
        var list = await TqAsync("jobs", "list", "--queue", "emails", "--state", "pending", "--json");
        var show = await TqAsync("jobs", "show", id, "--queue", "emails");

        Assert.Equal(0, queues.ExitCode);
        Assert.Matches(@"queue\s+pending\s+scheduled", queues.Output);
        Assert.Matches(@"emails\s+1\s+0\s+0\s+0\s+0", queues.Output);
        var page = JsonDocument.Parse(list.Output).RootElement;
        Assert.Equal(1, page.GetProperty("total").GetInt64());
        var job = page.GetProperty("jobs")[0];
        Assert.Equal(id, job.GetProperty("id").GetString());
        Assert.Equal("Pending", job.GetProperty("state").GetString());
        Assert.Equal("ada@example.com", job.GetProperty("arguments").GetProperty("to").GetString());
        Assert.Contains("""arguments   {"to":"ada@example.com"}""", show.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exit_codes_tell_usage_errors_unknown_jobs_and_an_unreachable_Redis_apart()
    {
        var notJson = await TqAsync("enqueue", "send-email", "[1, 2]");
        var unknownCommand = await TqAsync("bogus");
        var unknownJob = await TqAsync("jobs", "show", JobId.New().Value, "--queue", "emails");
        var notAnId = await TqAsync("jobs", "cancel", "not/an:id");
        var unreachable = await RunAsync(["--redis", "127.0.0.1:1", "--timeout", "1", "queues"]);

        Assert.Equal(2, notJson.ExitCode);
        Assert.Contains("must be a JSON object", notJson.StandardError, StringComparison.Ordinal);
        Assert.Contains("nothing was stored", notJson.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, (await _store.GetQueueStatsAsync("default")).Pending);
        Assert.Equal(2, unknownCommand.ExitCode);
        Assert.Equal(3, unknownJob.ExitCode);
        Assert.Contains("does not exist", unknownJob.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, notAnId.ExitCode);
        Assert.Equal(4, unreachable.ExitCode);
        Assert.Contains("Cannot reach Redis at 127.0.0.1:1", unreachable.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dead_letters_are_listed_requeued_by_job_name_and_deleted_with_all()
    {
        await KillAsync("send-email", 2);
        await KillAsync("build-report", 1);

        var list = await TqAsync("dlq", "list", "--queue", "work", "--json");
        var requeue = await TqAsync("dlq", "requeue", "--queue", "work", "--job", "send-email", "--json");
        var both = await TqAsync("dlq", "delete", "--queue", "work", "--all", "--job", "x");
        var delete = await TqAsync("dlq", "delete", "--queue", "work", "--all");

        Assert.Equal(3, JsonDocument.Parse(list.Output).RootElement.GetProperty("total").GetInt64());
        Assert.Equal(2, JsonDocument.Parse(requeue.Output).RootElement.GetProperty("count").GetInt64());
        Assert.Equal(2, both.ExitCode);
        Assert.Equal(0, delete.ExitCode);
        Assert.Contains("Deleted 1 dead letter(s)", delete.Output, StringComparison.Ordinal);
        var stats = await _store.GetQueueStatsAsync("work");
        Assert.Equal((2, 0), (stats.Pending, stats.Dead));
    }

    [Fact]
    public async Task Job_actions_and_pause_take_effect_in_the_store()
    {
        var scheduled = (await _store.EnqueueAsync(TestJobs.New(queue: "work") with { Delay = TimeSpan.FromHours(1) })).Id;
        var pending = (await _store.EnqueueAsync(TestJobs.New(queue: "work"))).Id;

        Assert.Equal(0, (await TqAsync("jobs", "retry", scheduled.Value, "--queue", "work")).ExitCode);
        Assert.Equal(0, (await TqAsync("jobs", "cancel", pending.Value, "--queue", "work")).ExitCode);
        Assert.Equal(3, (await TqAsync("jobs", "cancel", pending.Value, "--queue", "work")).ExitCode);
        Assert.Equal(0, (await TqAsync("pause", "work")).ExitCode);
        var stats = await TqAsync("stats", "--json");

        Assert.Equal(JobState.Pending, (await _store.GetJobAsync("work", scheduled))!.State);
        Assert.Equal(JobState.Cancelled, (await _store.GetJobAsync("work", pending))!.State);
        Assert.True((await _store.GetQueueStatsAsync("work")).Paused);
        Assert.True(JsonDocument.Parse(stats.Output).RootElement.GetProperty("queues")[0].GetProperty("paused").GetBoolean());
        Assert.Equal(0, (await TqAsync("resume", "work")).ExitCode);
        Assert.False((await _store.GetQueueStatsAsync("work")).Paused);
    }

    [Fact]
    public async Task Workers_and_watch_show_the_live_state()
    {
        await _store.HeartbeatWorkerAsync(new WorkerInfo { Id = "w-cli", Host = "box-1", ProcessId = 4242, Queues = ["work"], Concurrency = 16, StartedAt = DateTimeOffset.UtcNow, RunningJobs = 5 }, TimeSpan.FromMinutes(1));
        await _store.EnqueueAsync(TestJobs.New(queue: "work"));

        var workers = await TqAsync("workers");
        var watch = await TqAsync("watch", "--iterations", "2", "--interval", "0.2");

        Assert.Matches(@"w-cli\s+box-1\s+4242\s+work\s+16\s+5", workers.Output);
        Assert.Equal(0, watch.ExitCode);
        Assert.Equal(2, watch.Output.Split("tq watch").Length - 1);
        Assert.Contains("workers 1  running 5", watch.Output, StringComparison.Ordinal);
        Assert.Matches(@"work\s+1\s+0", watch.Output);
    }

    private async Task KillAsync(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _store.EnqueueAsync(TestJobs.New(name: name, queue: "work", maxRetries: 0));
            var leased = Assert.Single(await _store.FetchAsync(new FetchRequest("work", 1, TimeSpan.FromMinutes(1), "cli-test")));
            Assert.Empty(await _store.CompleteAsync([new JobCompletion { Lease = leased.Lease, Kind = CompletionKind.DeadLetter, Error = "boom" }]));
        }
    }

    private Task<ProcessRunner.Result> TqAsync(params string[] arguments)
        => RunAsync(["--redis", redis.ConnectionString, "--prefix", _prefix, .. arguments]);

    private static Task<ProcessRunner.Result> RunAsync(string[] arguments)
        => ProcessRunner.RunAsync("dotnet", [TqDll, .. arguments], RepositoryPaths.Root, Limit);
}
