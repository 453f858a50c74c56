using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    // ---- recovery decided by the caller ----------------------------------------------------------------------------

    [Fact]
    public async Task Recovery_hands_each_expired_lease_to_the_decision()
    {
        var id = await EnqueueAsync(TestJobs.New(name: "resize-image", maxRetries: 4));
        var leased = Assert.Single(await FetchAsync(1, ShortDelay));
        var seen = new List<ExpiredLease>();

        await Eventually.TrueAsync(
            async () => await Store.RecoverExpiredLeasesAsync(Q, e => { seen.Add(e); return StoreRecovery.RetryAtOnce(e); }) == 1,
            "the expired lease to be recovered");

        var expired = Assert.Single(seen);
        Assert.Equal(leased.Lease, expired.Lease);
        Assert.Equal("resize-image", expired.Name);
        Assert.Equal(1, expired.Attempt);
        Assert.Equal(4, expired.MaxRetries);
        Assert.Equal(WorkerId, expired.WorkerId);
        Assert.Equal(id, expired.Lease.Id);
    }

    [Fact]
    public async Task Recovery_retry_waits_for_its_delay_with_the_attempt_counted()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 3));
        Assert.Single(await FetchAsync(1, ShortDelay));
        var delay = TimeSpan.FromSeconds(1);

        await Eventually.TrueAsync(
            async () => await Store.RecoverExpiredLeasesAsync(Q, e => new JobCompletion { Lease = e.Lease, Kind = CompletionKind.Retry, RetryDelay = delay, Error = "worker vanished" }) == 1,
            "the expired lease to be recovered");
        var recoveredAt = DateTimeOffset.UtcNow;

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Scheduled, info!.State);
        Assert.Equal(1, info.Attempt);
        Assert.Equal("worker vanished", info.LastError);
        var stats = await Admin.GetQueueStatsAsync(Q);
        Assert.Equal(1, stats.Retrying);
        Assert.Equal(0, stats.Active);
        Assert.Equal(1, stats.FailedToday);
        Assert.Empty(await FetchAsync(1));

        var again = await Eventually.ValueAsync(async () => (await FetchAsync(1)).FirstOrDefault(), "the retry to become due");
        Assert.True(DateTimeOffset.UtcNow - recoveredAt >= delay - TimeSpan.FromMilliseconds(50), "fetched before its retry delay");
        Assert.Equal(2, again.Attempt);
    }

    [Fact]
    public async Task Recovery_dead_letter_moves_the_job_to_the_dead_letters()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 3));
        Assert.Single(await FetchAsync(1, ShortDelay));

        await Eventually.TrueAsync(
            async () => await Store.RecoverExpiredLeasesAsync(Q, e => new JobCompletion { Lease = e.Lease, Kind = CompletionKind.DeadLetter, Error = "gave up" }) == 1,
            "the expired lease to be recovered");

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Dead, info!.State);
        Assert.Equal(1, info.Attempt);
        Assert.Equal("gave up", info.LastError);
        Assert.Equal(id, Assert.Single(await Admin.ListDeadLettersAsync(Q, 0, 10)).Id);
        var stats = await Admin.GetQueueStatsAsync(Q);
        Assert.Equal(1, stats.Dead);
        Assert.Equal(1, stats.FailedToday);
        Assert.Equal(0, stats.Active);
    }

    [Fact]
    public async Task Lease_extended_after_it_was_found_expired_is_not_recovered()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1, ShortDelay));
        await Task.Delay(ShortDelay * 2);

        // The worker renews its lease after the store found it expired, before the decision is applied.
        var recovered = await Store.RecoverExpiredLeasesAsync(Q, e =>
        {
            Assert.Empty(Store.ExtendLeasesAsync([e.Lease], LongLease).AsTask().GetAwaiter().GetResult());
            return StoreRecovery.RetryAtOnce(e);
        });

        Assert.Equal(0, recovered);
        Assert.Equal(JobState.Active, (await Store.GetJobAsync(Q, id))!.State);
        Assert.Equal(0, (await Admin.GetQueueStatsAsync(Q)).FailedToday);
        Assert.Empty(await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded)]));
    }

    [Fact]
    public async Task Lease_completed_after_it_was_found_expired_is_not_recovered()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1, ShortDelay));
        await Task.Delay(ShortDelay * 2);

        var recovered = await Store.RecoverExpiredLeasesAsync(Q, e =>
        {
            Assert.Empty(Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded)]).AsTask().GetAwaiter().GetResult());
            return StoreRecovery.RetryAtOnce(e);
        });

        Assert.Equal(0, recovered);
        Assert.Equal(JobState.Succeeded, (await Store.GetJobAsync(Q, id))!.State);
        var stats = await Admin.GetQueueStatsAsync(Q);
        Assert.Equal(0, stats.FailedToday);
        Assert.Equal(0, stats.Retrying);
    }
}
