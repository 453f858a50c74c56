using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

[Collection(RedisServerFixture.CollectionName)]
public sealed class LeaseScriptTests(RedisServerFixture server) : RedisStoreTestBase(server)
{
    [Fact]
    public async Task Expired_lease_is_recovered_as_a_retry_with_the_attempt_counted()
    {
        await Store.EnqueueAsync(Job());
        var first = Assert.Single(await FetchAsync(lease: TimeSpan.FromMilliseconds(50)));

        Assert.True(await EventuallyAsync(async () => await Store.RecoverExpiredLeasesAsync(Queue) == 1));

        var info = await Store.GetJobAsync(Queue, first.Id);
        Assert.Equal(JobState.Scheduled, info!.State);
        Assert.Equal(1, await Db.SortedSetLengthAsync(Key("retry")));
        Assert.Equal("lease expired", info.LastError);
        var second = Assert.Single(await FetchAsync());
        Assert.Equal(2, second.Attempt);
        Assert.Single(await Store.CompleteAsync([Completion(first, CompletionKind.Succeeded)]));
        Assert.Empty(await Store.CompleteAsync([Completion(second, CompletionKind.Succeeded)]));
    }

    [Fact]
    public async Task Expired_lease_without_retries_left_goes_to_dead_letters()
    {
        await Store.EnqueueAsync(Job(maxRetries: 0));
        var leased = Assert.Single(await FetchAsync(lease: TimeSpan.FromMilliseconds(50)));

        Assert.True(await EventuallyAsync(async () => await Store.RecoverExpiredLeasesAsync(Queue) == 1));

        Assert.Equal(JobState.Dead, (await Store.GetJobAsync(Queue, leased.Id))!.State);
        Assert.Equal(leased.Id, Assert.Single(await Store.ListDeadLettersAsync(Queue, 0, 10)).Id);
    }

    [Fact]
    public async Task Lease_not_yet_expired_is_not_recovered()
    {
        await Store.EnqueueAsync(Job());
        await FetchAsync(lease: TimeSpan.FromMinutes(5));

        Assert.Equal(0, await Store.RecoverExpiredLeasesAsync(Queue));
        Assert.Equal(1, (await Store.GetQueueStatsAsync(Queue)).Active);
    }

    [Fact]
    public async Task Any_store_instance_recovers_an_expired_lease_and_none_recovers_it_twice()
    {
        // A worker that crashed right after recovering must not delay the next recovery: no lock, any instance may scan.
        await using var other = await CreateStoreAsync();
        await Store.EnqueueManyAsync([Job(), Job()]);
        await FetchAsync(max: 1, lease: TimeSpan.FromMilliseconds(30));
        await Task.Delay(60);

        Assert.Equal(1, await Store.RecoverExpiredLeasesAsync(Queue));
        Assert.Equal(0, await other.RecoverExpiredLeasesAsync(Queue));
        await FetchAsync(max: 1, lease: TimeSpan.FromMilliseconds(30));
        await Task.Delay(60);

        Assert.Equal(1, await other.RecoverExpiredLeasesAsync(Queue));
        Assert.Equal(0, await Store.RecoverExpiredLeasesAsync(Queue));
    }

    [Fact]
    public async Task Extending_keeps_the_lease_and_a_stale_or_finished_lease_is_reported_lost()
    {
        await Store.EnqueueManyAsync([Job(), Job()]);
        var leased = await FetchAsync(max: 2, lease: TimeSpan.FromMilliseconds(200));
        await Store.CompleteAsync([Completion(leased[1], CompletionKind.Succeeded)]);
        var stale = leased[0].Lease with { LeaseToken = "old" };

        var lost = await Store.ExtendLeasesAsync([leased[0].Lease, leased[1].Lease, stale], TimeSpan.FromMinutes(5));

        Assert.Equal([leased[1].Lease, stale], lost);
        await Task.Delay(300);
        Assert.Equal(0, await Store.RecoverExpiredLeasesAsync(Queue));
        var deadline = await Db.SortedSetScoreAsync(Key("active"), leased[0].Id.Value);
        Assert.True(deadline > DateTimeOffset.UtcNow.AddMinutes(4).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Progress_is_recorded_only_for_the_current_lease_and_cleared_on_the_next_attempt()
    {
        await Store.EnqueueAsync(Job());
        var leased = Assert.Single(await FetchAsync());

        Assert.True(await Store.SetProgressAsync(Queue, leased.Id, leased.LeaseToken, 37.5));
        Assert.False(await Store.SetProgressAsync(Queue, leased.Id, "stale", 90));
        Assert.Equal(37.5, (await Store.GetJobAsync(Queue, leased.Id))!.Progress);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SetProgressAsync(Queue, leased.Id, leased.LeaseToken, 101).AsTask());

        await Store.CompleteAsync([Completion(leased, CompletionKind.Retry, "e", TimeSpan.Zero)]);
        Assert.Single(await FetchAsync());
        Assert.Null((await Store.GetJobAsync(Queue, leased.Id))!.Progress);
    }
}
