using System.Collections.Concurrent;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

[Collection(RedisServerFixture.CollectionName)]
public sealed class CancelAndDeadLetterScriptTests(RedisServerFixture server) : RedisStoreTestBase(server)
{
    [Fact]
    public async Task Cancelled_pending_scheduled_and_retrying_jobs_never_run()
    {
        var pending = Job();
        var scheduled = Job() with { Delay = TimeSpan.FromMilliseconds(100) };
        var retrying = Job();
        await Store.EnqueueManyAsync([retrying, pending, scheduled]);
        var leased = Assert.Single(await FetchAsync(max: 1));
        await Store.CompleteAsync([Completion(leased, CompletionKind.Retry, "e", TimeSpan.FromMilliseconds(100))]);

        Assert.True(await Store.CancelAsync(Queue, pending.Id));
        Assert.True(await Store.CancelAsync(Queue, scheduled.Id));
        Assert.True(await Store.CancelAsync(Queue, retrying.Id));

        await Task.Delay(200);
        Assert.Empty(await FetchAsync());
        Assert.Equal(JobState.Cancelled, (await Store.GetJobAsync(Queue, scheduled.Id))!.State);
        var stats = await Store.GetQueueStatsAsync(Queue);
        Assert.Equal((0, 0, 0), (stats.Pending, stats.Scheduled, stats.Retrying));
    }

    [Fact]
    public async Task Cancelling_a_running_job_notifies_subscribers_of_every_store_and_rejects_its_completion()
    {
        await using var otherProcess = await CreateStoreAsync();
        var seen = new ConcurrentQueue<JobId>();
        await using var subscription = await otherProcess.SubscribeToCancellationsAsync(seen.Enqueue);
        await Store.EnqueueAsync(Job());
        var leased = Assert.Single(await FetchAsync());

        Assert.True(await Store.CancelAsync(Queue, leased.Id));

        Assert.True(await EventuallyAsync(() => Task.FromResult(seen.Contains(leased.Id))));
        Assert.Single(await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded)]));
        Assert.Equal([leased.Lease], await Store.ExtendLeasesAsync([leased.Lease], TimeSpan.FromMinutes(1)));
        Assert.Equal(JobState.Cancelled, (await Store.GetJobAsync(Queue, leased.Id))!.State);
    }

    [Fact]
    public async Task Cancelling_an_unknown_or_finished_job_returns_false()
    {
        await Store.EnqueueAsync(Job());
        var leased = Assert.Single(await FetchAsync());
        await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded)]);

        Assert.False(await Store.CancelAsync(Queue, leased.Id));
        Assert.False(await Store.CancelAsync(Queue, JobId.New()));
        Assert.False(await Store.CancelAsync(Queue, leased.Id));
    }

    [Fact]
    public async Task Requeued_dead_letter_runs_again_with_a_fresh_attempt_count()
    {
        var id = await KillAsync("a");

        Assert.True(await Store.RequeueDeadLetterAsync(Queue, id));
        Assert.False(await Store.RequeueDeadLetterAsync(Queue, id));

        var again = Assert.Single(await FetchAsync());
        Assert.Equal((id, 1), (again.Id, again.Attempt));
        Assert.Empty(await Store.ListDeadLettersAsync(Queue, 0, 10));
    }

    [Fact]
    public async Task Requeue_all_moves_every_dead_letter_back_oldest_first()
    {
        var ids = new[] { await KillAsync("a"), await KillAsync("b"), await KillAsync("c") };

        Assert.Equal(3, await Store.RequeueAllDeadLettersAsync(Queue));

        Assert.Equal(ids, (await FetchAsync()).Select(j => j.Id));
        Assert.Equal(0, await Store.RequeueAllDeadLettersAsync(Queue));
    }

    [Fact]
    public async Task Deleted_dead_letter_is_gone_and_only_dead_letters_can_be_deleted()
    {
        var dead = await KillAsync("a");
        var pending = Job();
        await Store.EnqueueAsync(pending);

        Assert.True(await Store.DeleteDeadLetterAsync(Queue, dead));
        Assert.False(await Store.DeleteDeadLetterAsync(Queue, dead));
        Assert.False(await Store.DeleteDeadLetterAsync(Queue, pending.Id));
        Assert.Null(await Store.GetJobAsync(Queue, dead));
        Assert.NotNull(await Store.GetJobAsync(Queue, pending.Id));
    }

    [Fact]
    public async Task Trimming_by_count_keeps_the_newest_and_deletes_the_hashes()
    {
        var ids = new[] { await KillAsync("a"), await KillAsync("b"), await KillAsync("c") };

        Assert.Equal(2, await Store.TrimDeadLettersAsync(Queue, maxCount: 1, maxAge: TimeSpan.FromDays(1)));

        Assert.Equal(ids[2], Assert.Single(await Store.ListDeadLettersAsync(Queue, 0, 10)).Id);
        Assert.False(await Db.KeyExistsAsync(Key("job:" + ids[0])));
        Assert.Equal(0, await Store.TrimDeadLettersAsync(Queue, maxCount: 1, maxAge: TimeSpan.FromDays(1)));
    }

    [Fact]
    public async Task Trimming_by_age_deletes_only_old_enough_dead_letters()
    {
        var old = await KillAsync("old");
        await Task.Delay(150);
        var young = await KillAsync("young");

        Assert.Equal(1, await Store.TrimDeadLettersAsync(Queue, maxCount: 100, maxAge: TimeSpan.FromMilliseconds(100)));

        Assert.Equal(young, Assert.Single(await Store.ListDeadLettersAsync(Queue, 0, 10)).Id);
        Assert.Null(await Store.GetJobAsync(Queue, old));
    }

    [Fact]
    public async Task New_dead_letters_push_out_the_oldest_beyond_the_configured_count()
    {
        await using var store = await CreateStoreAsync(o => o.DeadLetterMaxCount = 2);
        var jobs = Enumerable.Range(0, 4).Select(_ => Job(maxRetries: 0)).ToArray();
        await store.EnqueueManyAsync(jobs);
        foreach (var job in jobs)
        {
            var leased = Assert.Single(await store.FetchAsync(new FetchRequest(Queue, 1, TimeSpan.FromSeconds(30), "w")));
            await store.CompleteAsync([Completion(leased, CompletionKind.DeadLetter, "boom")]);
            await Task.Delay(3);
        }

        Assert.Equal([jobs[3].Id, jobs[2].Id], (await store.ListDeadLettersAsync(Queue, 0, 10)).Select(j => j.Id));
        Assert.Null(await store.GetJobAsync(Queue, jobs[0].Id));
    }

    [Fact]
    public async Task Dead_letters_are_listed_newest_first_with_paging()
    {
        var ids = new[] { await KillAsync("a"), await KillAsync("b"), await KillAsync("c") };

        var page = await Store.ListDeadLettersAsync(Queue, 1, 5);

        Assert.Equal([ids[1], ids[0]], page.Select(j => j.Id));
        Assert.Empty(await Store.ListDeadLettersAsync(Queue, 3, 5));
    }

    private async Task<JobId> KillAsync(string payload)
    {
        var job = Job(payload: payload, maxRetries: 0);
        await Store.EnqueueAsync(job);
        var leased = Assert.Single(await FetchAsync(max: 1));
        Assert.Equal(job.Id, leased.Id);
        await Store.CompleteAsync([Completion(leased, CompletionKind.DeadLetter, "boom")]);

        // Distinct death times, so ordering by time is well defined on a millisecond clock.
        await Task.Delay(3);
        return job.Id;
    }
}
