using System.Text;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>
/// Leases live in the queue's leases hash, not on the job hash: fetch leaves the hash 'pending' with the attempt
/// count before the attempt, and everything that reads state treats "has a lease" as active.
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class LeasesHashTests(RedisServerFixture server) : RedisStoreTestBase(server)
{
    [Fact]
    public async Task Running_job_reads_as_active_with_the_leases_attempt_while_its_hash_stays_pending()
    {
        var job = Job(maxRetries: 3);
        await Store.EnqueueAsync(job);
        var first = Assert.Single(await FetchAsync());

        var info = await Store.GetJobAsync(Queue, job.Id);

        Assert.Equal(JobState.Active, info!.State);
        Assert.Equal(1, info.Attempt);
        Assert.Equal("pending", (await Db.HashGetAsync(Key("job:" + job.Id), "state")).ToString());
        Assert.Equal("0", (await Db.HashGetAsync(Key("job:" + job.Id), "attempt")).ToString());
        var lease = (await Db.HashGetAsync(Key("leases"), job.Id.Value)).ToString();
        Assert.StartsWith(first.LeaseToken + "|1|2|", lease, StringComparison.Ordinal);
        Assert.EndsWith("|0|worker-1", lease, StringComparison.Ordinal);

        await Store.CompleteAsync([Completion(first, CompletionKind.Retry, "e", TimeSpan.Zero)]);
        Assert.Equal(1, (await Store.GetJobAsync(Queue, job.Id))!.Attempt);
        var second = Assert.Single(await FetchAsync());
        info = await Store.GetJobAsync(Queue, job.Id);

        Assert.Equal(2, second.Attempt);
        Assert.Equal(JobState.Active, info!.State);
        Assert.Equal(2, info.Attempt);
        Assert.Equal("1", (await Db.HashGetAsync(Key("job:" + job.Id), "attempt")).ToString());
    }

    [Fact]
    public async Task Leases_hash_is_empty_after_complete_cancel_and_recover()
    {
        await Store.EnqueueManyAsync([Job(), Job(), Job()]);
        var running = await FetchAsync(max: 2);
        var expiring = Assert.Single(await FetchAsync(max: 1, lease: TimeSpan.FromMilliseconds(50)));
        Assert.Equal(3, await Db.HashLengthAsync(Key("leases")));

        await Store.CompleteAsync([Completion(running[0], CompletionKind.Succeeded)]);
        Assert.True(await Store.CancelAsync(Queue, running[1].Id));
        Assert.True(await EventuallyAsync(async () => await Store.RecoverExpiredLeasesAsync(Queue) == 1));

        Assert.Equal(0, await Db.HashLengthAsync(Key("leases")));
        Assert.Equal(0, await Db.SortedSetLengthAsync(Key("active")));
        Assert.Equal(JobState.Cancelled, (await Store.GetJobAsync(Queue, running[1].Id))!.State);
        Assert.Equal(1, (await Store.GetJobAsync(Queue, running[1].Id))!.Attempt);
        Assert.Equal(1, (await Store.GetJobAsync(Queue, expiring.Id))!.Attempt);
        Assert.Equal(JobState.Scheduled, (await Store.GetJobAsync(Queue, expiring.Id))!.State);
    }

    [Fact]
    public async Task Leases_hash_is_empty_after_dead_letter_and_release()
    {
        await Store.EnqueueManyAsync([Job(), Job()]);
        var leased = await FetchAsync();

        await Store.CompleteAsync([Completion(leased[0], CompletionKind.DeadLetter, "e"), Completion(leased[1], CompletionKind.Release)]);

        Assert.Equal(0, await Db.HashLengthAsync(Key("leases")));
        Assert.Equal(0, await Db.SortedSetLengthAsync(Key("active")));
        Assert.Equal(1, (await Store.GetJobAsync(Queue, leased[0].Id))!.Attempt);
        Assert.Equal(0, (await Store.GetJobAsync(Queue, leased[1].Id))!.Attempt);
    }

    [Fact]
    public async Task Progress_is_cleared_when_the_attempt_ends_in_retry_release_or_recovery_and_kept_on_success()
    {
        await Store.EnqueueManyAsync([Job(payload: "retry"), Job(payload: "release"), Job(payload: "success"), Job(payload: "recover")]);
        var leased = await FetchAsync(max: 3);
        var expiring = Assert.Single(await FetchAsync(max: 1, lease: TimeSpan.FromMilliseconds(50)));
        foreach (var job in leased.Append(expiring))
        {
            Assert.True(await Store.SetProgressAsync(Queue, job.Id, job.LeaseToken, 40));
        }

        Assert.Equal(40, (await Store.GetJobAsync(Queue, leased[0].Id))!.Progress);
        await Store.CompleteAsync(
        [
            Completion(leased[0], CompletionKind.Retry, "e", TimeSpan.FromHours(1)),
            Completion(leased[1], CompletionKind.Release),
            Completion(leased[2], CompletionKind.Succeeded),
        ]);
        Assert.True(await EventuallyAsync(async () => await Store.RecoverExpiredLeasesAsync(Queue) == 1));

        Assert.Equal(["retry", "release", "success", "recover"], leased.Append(expiring).Select(j => Encoding.UTF8.GetString(j.Payload.Span)));
        Assert.Null((await Store.GetJobAsync(Queue, leased[0].Id))!.Progress);
        Assert.Null((await Store.GetJobAsync(Queue, leased[1].Id))!.Progress);
        Assert.Equal(40, (await Store.GetJobAsync(Queue, leased[2].Id))!.Progress);
        Assert.Null((await Store.GetJobAsync(Queue, expiring.Id))!.Progress);
    }

    [Fact]
    public async Task The_same_lease_twice_in_one_batch_is_recorded_once()
    {
        await Store.EnqueueAsync(Job());
        var leased = Assert.Single(await FetchAsync());
        var success = Completion(leased, CompletionKind.Succeeded);
        var retry = Completion(leased, CompletionKind.Retry, "e", TimeSpan.FromHours(1));

        var rejected = await Store.CompleteAsync([success, retry]);

        Assert.Equal([retry], rejected);
        Assert.Equal(JobState.Succeeded, (await Store.GetJobAsync(Queue, leased.Id))!.State);
        Assert.Equal(1, (await Store.GetQueueStatsAsync(Queue)).ProcessedToday);
        Assert.Equal(0, (await Store.GetQueueStatsAsync(Queue)).Retrying);
    }

    [Fact]
    public async Task Lease_keeps_a_unique_key_and_a_worker_id_with_separators_apart_and_frees_the_key_on_success()
    {
        var job = Job() with { IdempotencyKey = "order|7|x", UniqueUntilFinished = true };
        await Store.EnqueueAsync(job);
        var leased = Assert.Single(await Store.FetchAsync(new FetchRequest(Queue, 10, TimeSpan.FromSeconds(30), "host|1|w")));

        var lease = (await Db.HashGetAsync(Key("leases"), job.Id.Value)).ToString();
        Assert.EndsWith("|9|order|7|xhost|1|w", lease, StringComparison.Ordinal);
        Assert.Equal(1, (await Store.GetJobAsync(Queue, job.Id))!.Attempt);
        Assert.False((await Store.EnqueueAsync(Job() with { IdempotencyKey = "order|7|x", UniqueUntilFinished = true })).Created);

        Assert.Empty(await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded)]));

        Assert.False(await Db.KeyExistsAsync(Key("idem:order|7|x")));
        Assert.True((await Store.EnqueueAsync(Job() with { IdempotencyKey = "order|7|x", UniqueUntilFinished = true })).Created);
    }
}
