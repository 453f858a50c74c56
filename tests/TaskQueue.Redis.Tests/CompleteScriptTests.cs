using System.Text;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

[Collection(RedisServerFixture.CollectionName)]
public sealed class CompleteScriptTests(RedisServerFixture server) : RedisStoreTestBase(server)
{
    [Fact]
    public async Task Succeeded_job_keeps_its_result_is_listed_for_deletion_and_counts_processed()
    {
        await Store.EnqueueAsync(Job());
        var leased = Assert.Single(await FetchAsync());

        var rejected = await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded, result: "42")]);

        Assert.Empty(rejected);
        var info = await Store.GetJobAsync(Queue, leased.Id);
        Assert.Equal(JobState.Succeeded, info!.State);
        Assert.Equal("42", Encoding.UTF8.GetString(info.Result!.Value.Span));
        Assert.NotNull(info.FinishedAt);
        // No TTL: workers delete it once its retention passed, from the succeeded list (entry = 'fin ms:id').
        Assert.Null(await Db.KeyTimeToLiveAsync(Key("job:" + leased.Id)));
        var entry = Assert.Single(await Db.ListRangeAsync(Key("succeeded")));
        Assert.Equal($"{info.FinishedAt!.Value.ToUnixTimeMilliseconds()}:{leased.Id}", entry.ToString());
        var stats = await Store.GetQueueStatsAsync(Queue);
        Assert.Equal(1, stats.ProcessedToday);
        Assert.Equal(0, stats.Active);
    }

    [Fact]
    public async Task Retry_schedules_the_job_after_its_delay_with_the_error_and_counts_failed()
    {
        await Store.EnqueueAsync(Job());
        var leased = Assert.Single(await FetchAsync());

        await Store.CompleteAsync([Completion(leased, CompletionKind.Retry, "TimeoutException: slow", TimeSpan.FromMilliseconds(200))]);

        var info = await Store.GetJobAsync(Queue, leased.Id);
        Assert.Equal(JobState.Scheduled, info!.State);
        Assert.Equal("TimeoutException: slow", info.LastError);
        var stats = await Store.GetQueueStatsAsync(Queue);
        Assert.Equal(1, stats.Retrying);
        Assert.Equal(0, stats.Scheduled);
        Assert.Equal(1, stats.FailedToday);
        IReadOnlyList<LeasedJob> again = [];
        Assert.True(await EventuallyAsync(async () => (again = await FetchAsync()).Count > 0));
        Assert.Equal(2, Assert.Single(again).Attempt);
    }

    [Fact]
    public async Task Dead_letter_keeps_the_job_with_its_last_error()
    {
        await Store.EnqueueAsync(Job());
        var leased = Assert.Single(await FetchAsync());

        await Store.CompleteAsync([Completion(leased, CompletionKind.DeadLetter, "InvalidOperationException: no")]);

        var dead = Assert.Single(await Store.ListDeadLettersAsync(Queue, 0, 10));
        Assert.Equal(leased.Id, dead.Id);
        Assert.Equal(JobState.Dead, dead.State);
        Assert.Equal("InvalidOperationException: no", dead.LastError);
        Assert.Null(await Db.KeyTimeToLiveAsync(Key("job:" + leased.Id)));
        Assert.Equal(1, (await Store.GetQueueStatsAsync(Queue)).Dead);
    }

    [Fact]
    public async Task Release_puts_the_job_back_at_the_front_without_counting_the_attempt()
    {
        await Store.EnqueueManyAsync([Job(payload: "a"), Job(payload: "b")]);
        var a = (await FetchAsync(max: 1))[0];

        await Store.CompleteAsync([Completion(a, CompletionKind.Release)]);

        var next = (await FetchAsync(max: 1))[0];
        Assert.Equal(a.Id, next.Id);
        Assert.Equal(1, next.Attempt);
    }

    [Fact]
    public async Task Completion_with_a_stale_token_is_rejected_and_changes_nothing()
    {
        await Store.EnqueueAsync(Job());
        var leased = Assert.Single(await FetchAsync());
        var stale = leased with { LeaseToken = "not-the-token" };

        var rejected = await Store.CompleteAsync([Completion(stale, CompletionKind.Succeeded)]);

        Assert.Single(rejected);
        Assert.Equal(JobState.Active, (await Store.GetJobAsync(Queue, leased.Id))!.State);
        Assert.Empty(await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded)]));
        Assert.Single(await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded)]));
    }

    [Fact]
    public async Task Batch_over_several_queues_reports_only_the_rejected_in_input_order()
    {
        await Store.EnqueueManyAsync([Job(), Job(), Job(queue: "q2")]);
        var d = await FetchAsync(max: 2);
        var q2 = Assert.Single(await FetchAsync(queue: "q2"));
        var staleD = Completion(d[1] with { LeaseToken = "x" }, CompletionKind.Succeeded);
        var staleQ2 = Completion(q2 with { LeaseToken = "y" }, CompletionKind.Succeeded);

        var rejected = await Store.CompleteAsync([staleQ2, Completion(d[0], CompletionKind.Succeeded), staleD, Completion(q2, CompletionKind.Retry, "e", TimeSpan.FromHours(1))]);

        Assert.Equal([staleQ2, staleD], rejected);
        Assert.Equal(JobState.Succeeded, (await Store.GetJobAsync(Queue, d[0].Id))!.State);
        Assert.Equal(JobState.Scheduled, (await Store.GetJobAsync("q2", q2.Id))!.State);
    }

    [Fact]
    public async Task Day_counter_gets_its_month_long_expiry_when_created_and_keeps_counting()
    {
        await Store.EnqueueManyAsync([Job(), Job()]);
        var leased = await FetchAsync();

        await Store.CompleteAsync([Completion(leased[0], CompletionKind.Succeeded)]);
        await Store.CompleteAsync([Completion(leased[1], CompletionKind.Succeeded)]);

        var day = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 86_400_000;
        var counter = Key($"stats:processed:{day}");
        Assert.Equal(2, (long)await Db.StringGetAsync(counter));
        Assert.InRange((await Db.KeyTimeToLiveAsync(counter))!.Value, TimeSpan.FromDays(30.9), TimeSpan.FromDays(31));
    }
}
