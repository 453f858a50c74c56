using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

[Collection(RedisServerFixture.CollectionName)]
public sealed class QueueAndWorkerScriptTests(RedisServerFixture server) : RedisStoreTestBase(server)
{
    [Fact]
    public async Task Stats_count_every_state_and_todays_processed_and_failed()
    {
        await Store.EnqueueManyAsync([Job(), Job(), Job(), Job(), Job() with { Delay = TimeSpan.FromHours(1) }, Job(maxRetries: 0)]);
        var leased = await FetchAsync(max: 4);
        await Store.CompleteAsync(
        [
            Completion(leased[0], CompletionKind.Succeeded),
            Completion(leased[1], CompletionKind.Retry, "e", TimeSpan.FromHours(1)),
            Completion(leased[2], CompletionKind.DeadLetter, "e"),
        ]);

        var stats = await Store.GetQueueStatsAsync(Queue);

        Assert.Equal(
            new QueueStats { Queue = Queue, Pending = 1, Scheduled = 1, Retrying = 1, Active = 1, Dead = 1, ProcessedToday = 1, FailedToday = 2 },
            stats);
    }

    [Fact]
    public async Task Stats_of_an_unknown_queue_are_zero_and_queues_are_listed_once_enqueued()
    {
        Assert.Equal(new QueueStats { Queue = "nothing" }, await Store.GetQueueStatsAsync("nothing"));
        Assert.Empty(await Store.ListQueueNamesAsync());

        await Store.EnqueueManyAsync([Job(queue: "b"), Job(queue: "a"), Job(queue: "b")]);

        Assert.Equal(["a", "b"], await Store.ListQueueNamesAsync());
    }

    [Fact]
    public async Task Worker_heartbeat_registers_lists_and_removes_a_worker()
    {
        var started = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var worker = new WorkerInfo { Id = "host-1:42:abc", Host = "host-1", ProcessId = 42, Queues = ["default", "mail"], Concurrency = 8, StartedAt = started };

        await Store.HeartbeatWorkerAsync(worker, TimeSpan.FromMinutes(1));
        var listed = Assert.Single(await Store.ListWorkersAsync());

        Assert.Equal(worker.Id, listed.Id);
        Assert.Equal(("host-1", 42, 8, started), (listed.Host, listed.ProcessId, listed.Concurrency, listed.StartedAt));
        Assert.Equal(["default", "mail"], listed.Queues);
        Assert.NotNull(listed.LastSeen);

        await Store.RemoveWorkerAsync(worker.Id);
        Assert.Empty(await Store.ListWorkersAsync());
    }

    [Fact]
    public async Task Worker_not_refreshed_within_its_ttl_disappears_from_the_list()
    {
        var worker = new WorkerInfo { Id = "w", Host = "h", ProcessId = 1, Queues = ["default"], Concurrency = 1, StartedAt = DateTimeOffset.UtcNow };
        await Store.HeartbeatWorkerAsync(worker, TimeSpan.FromMilliseconds(100));
        await Store.HeartbeatWorkerAsync(worker with { Id = "alive" }, TimeSpan.FromMinutes(1));

        Assert.True(await EventuallyAsync(async () => (await Store.ListWorkersAsync()).Count == 1));
        Assert.Equal("alive", Assert.Single(await Store.ListWorkersAsync()).Id);
        Assert.Equal(0, await Db.SortedSetLengthAsync($"{{{Prefix}}}:workers") - 1);
    }

    [Fact]
    public async Task Idle_wait_wakes_when_a_job_is_enqueued_by_another_store()
    {
        await using var producer = await CreateStoreAsync();
        await Store.WaitForWorkAsync([Queue], TimeSpan.FromMilliseconds(1));

        var wait = Store.WaitForWorkAsync([Queue], TimeSpan.FromMinutes(2)).AsTask();
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);
        await producer.EnqueueAsync(Job());

        Assert.Same(wait, await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public async Task Wait_returns_at_once_when_work_is_ready_and_not_for_a_paused_queue()
    {
        await Store.EnqueueAsync(Job());
        var ready = Store.WaitForWorkAsync([Queue], TimeSpan.FromMinutes(2)).AsTask();
        Assert.Same(ready, await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(10))));

        await Store.PauseAsync(Queue);
        var paused = Store.WaitForWorkAsync([Queue], TimeSpan.FromMinutes(2)).AsTask();
        await Task.Delay(100);
        Assert.False(paused.IsCompleted);

        await Store.ResumeAsync(Queue);
        Assert.Same(paused, await Task.WhenAny(paused, Task.Delay(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public async Task Wait_sleeps_only_until_the_next_scheduled_job_is_due()
    {
        await Store.EnqueueAsync(Job() with { Delay = TimeSpan.FromMilliseconds(200) });

        var wait = Store.WaitForWorkAsync([Queue], TimeSpan.FromMinutes(2)).AsTask();

        Assert.Same(wait, await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.True(await EventuallyAsync(async () => (await FetchAsync()).Count == 1));
    }

    [Fact]
    public async Task Wait_with_an_unbounded_max_wait_still_wakes_on_work()
    {
        await Store.WaitForWorkAsync([Queue], TimeSpan.FromMilliseconds(1));
        var wait = Store.WaitForWorkAsync([Queue], TimeSpan.MaxValue).AsTask();

        await Store.EnqueueAsync(Job());

        Assert.Same(wait, await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10))));
        await wait;
    }

    [Fact]
    public async Task Wait_after_a_fetch_that_emptied_the_queue_wakes_on_a_later_enqueue_without_a_peek()
    {
        await using var producer = await CreateStoreAsync();
        await Store.WaitForWorkAsync([Queue], TimeSpan.FromMilliseconds(1));
        await Store.EnqueueAsync(Job());
        await Task.Delay(200); // The enqueue's own signal lands first (it would wake the wait below at once).
        Assert.Single(await FetchAsync());
        var peeksBefore = await PeekLengthCallsAsync();

        var wait = Store.WaitForWorkAsync([Queue], TimeSpan.FromMinutes(2)).AsTask();
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);
        await producer.EnqueueAsync(Job());

        Assert.Same(wait, await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(peeksBefore, await PeekLengthCallsAsync());
    }

    [Fact]
    public async Task Wait_after_an_emptying_fetch_returns_at_once_when_a_job_came_in_between()
    {
        await Store.WaitForWorkAsync([Queue], TimeSpan.FromMilliseconds(1));
        Assert.Empty(await FetchAsync());
        await Store.EnqueueAsync(Job());

        var wait = Store.WaitForWorkAsync([Queue], TimeSpan.FromMinutes(2)).AsTask();

        Assert.Same(wait, await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Single(await FetchAsync());
    }

    [Fact]
    public async Task Wait_after_an_emptying_fetch_sleeps_only_until_the_next_scheduled_job_is_due()
    {
        await Store.WaitForWorkAsync([Queue], TimeSpan.FromMilliseconds(1));
        await Store.EnqueueAsync(Job() with { Delay = TimeSpan.FromMilliseconds(300) });
        Assert.Empty(await FetchAsync());

        var wait = Store.WaitForWorkAsync([Queue], TimeSpan.FromMinutes(2)).AsTask();

        Assert.Same(wait, await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.True(await EventuallyAsync(async () => (await FetchAsync()).Count == 1));
    }

    [Fact]
    public async Task Wait_after_a_fetch_from_a_paused_queue_sleeps_until_resumed()
    {
        await Store.WaitForWorkAsync([Queue], TimeSpan.FromMilliseconds(1));
        await Store.EnqueueAsync(Job());
        await Store.PauseAsync(Queue);
        Assert.Empty(await FetchAsync());

        var wait = Store.WaitForWorkAsync([Queue], TimeSpan.FromMinutes(2)).AsTask();
        await Task.Delay(100);
        Assert.False(wait.IsCompleted);

        await Store.ResumeAsync(Queue);
        Assert.Same(wait, await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10))));
    }

    /// <summary>LLEN calls the server ran so far: only peek.lua, stats and job listing use it, and these tests run one at a time.</summary>
    private async Task<long> PeekLengthCallsAsync()
    {
        var info = (string)(await Server.ExecuteAsync("INFO", "commandstats"))!;
        var line = info.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_llen:calls=", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["cmdstat_llen:calls=".Length..line.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Wait_is_cancelled_by_its_token()
    {
        using var cts = new CancellationTokenSource();
        var wait = Store.WaitForWorkAsync([Queue], TimeSpan.FromMinutes(2), cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
