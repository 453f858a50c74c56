using System.Diagnostics;
using System.Text;
using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    // ---- leases ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task Expired_lease_is_recovered_as_a_retry_with_the_attempt_counted()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 3));
        var first = Assert.Single(await FetchAsync(1, ShortDelay));

        await Eventually.TrueAsync(async () => await Store.RecoverExpiredLeasesAsync(Q) == 1, "the expired lease to be recovered");

        // A retry like any failure: in the retry set (due at once here, the backoff being zero) until the next fetch.
        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Scheduled, info!.State);
        Assert.Equal(1, info.Attempt);
        Assert.Equal(1, (await Admin.GetQueueStatsAsync(Q)).Retrying);
        Assert.Equal("lease expired", info.LastError);
        var second = Assert.Single(await FetchAsync(1));
        Assert.Equal(2, second.Attempt);
        Assert.Single(await Store.CompleteAsync([Completion(first, CompletionKind.Succeeded)]));
        Assert.Empty(await Store.CompleteAsync([Completion(second, CompletionKind.Succeeded)]));
    }

    [Fact]
    public async Task Expired_lease_of_a_job_without_retries_left_moves_it_to_the_dead_letters()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 0));
        Assert.Single(await FetchAsync(1, ShortDelay));

        await Eventually.TrueAsync(async () => await Store.RecoverExpiredLeasesAsync(Q) == 1, "the expired lease to be recovered");

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Dead, info!.State);
        Assert.Equal("lease expired", info.LastError);
        Assert.Equal(1, (await Admin.GetQueueStatsAsync(Q)).Dead);
        Assert.Empty(await FetchAsync(1));
    }

    [Fact]
    public async Task Live_lease_is_not_recovered()
    {
        await EnqueueAsync(TestJobs.New());
        Assert.Single(await FetchAsync(1));

        Assert.Equal(0, await Store.RecoverExpiredLeasesAsync(Q));
        Assert.Equal(1, (await Admin.GetQueueStatsAsync(Q)).Active);
    }

    [Fact]
    public async Task Extended_lease_is_not_recovered_when_its_first_deadline_passes()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1, ShortDelay));

        var lost = await Store.ExtendLeasesAsync([leased.Lease], LongLease);
        await Task.Delay(ShortDelay * 2);

        Assert.Empty(lost);
        Assert.Equal(0, await Store.RecoverExpiredLeasesAsync(Q));
        Assert.Equal(JobState.Active, (await Store.GetJobAsync(Q, id))!.State);
    }

    [Fact]
    public async Task Extending_a_lease_that_is_no_longer_held_reports_it_lost()
    {
        await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));
        var stale = leased.Lease with { LeaseToken = "stale" };
        var unknown = new LeaseHandle(Q, JobId.New(), "whatever");

        var lost = await Store.ExtendLeasesAsync([leased.Lease, stale, unknown], LongLease);

        Assert.Equal([stale, unknown], lost);
    }
}
