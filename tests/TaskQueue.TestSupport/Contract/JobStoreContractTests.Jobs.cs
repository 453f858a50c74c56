using System.Diagnostics;
using System.Text;
using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    // ---- cancel -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Cancelled_pending_job_is_never_fetched_and_reads_back_as_cancelled()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var other = await EnqueueAsync(TestJobs.New());

        Assert.True(await Store.CancelAsync(Q, id));

        Assert.Equal(other, Assert.Single(await FetchAsync(10)).Id);
        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Cancelled, info!.State);
        Assert.NotNull(info.FinishedAt);
        Assert.Equal(0, (await Admin.GetQueueStatsAsync(Q)).Pending);
    }

    [Fact]
    public async Task Cancelled_scheduled_job_is_never_fetched()
    {
        var id = await EnqueueAsync(TestJobs.New() with { Delay = ShortDelay });

        Assert.True(await Store.CancelAsync(Q, id));
        await Task.Delay(ShortDelay * 2);

        Assert.Empty(await FetchAsync(10));
        Assert.Equal(0, (await Admin.GetQueueStatsAsync(Q)).Scheduled);
    }

    [Fact]
    public async Task Cancelling_a_running_job_notifies_subscribers_and_rejects_its_completion()
    {
        var notified = new TaskCompletionSource<JobId>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await Store.SubscribeToCancellationsAsync(id => notified.TrySetResult(id));
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));

        Assert.True(await Store.CancelAsync(Q, id));

        Assert.Equal(id, await notified.Task.WaitAsync(Eventually.DefaultTimeout));
        Assert.Single(await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded)]));
        Assert.Equal(JobState.Cancelled, (await Store.GetJobAsync(Q, id))!.State);
        Assert.Equal(0, (await Admin.GetQueueStatsAsync(Q)).Active);
        Assert.Equal([leased.Lease], await Store.ExtendLeasesAsync([leased.Lease], LongLease));
    }

    [Fact]
    public async Task Cancelling_a_finished_or_unknown_job_returns_false()
    {
        var id = await EnqueueAsync(TestJobs.New());
        await CompleteAsync(Assert.Single(await FetchAsync(1)), CompletionKind.Succeeded);

        Assert.False(await Store.CancelAsync(Q, id));
        Assert.False(await Store.CancelAsync(Q, JobId.New()));
        Assert.False(await Store.CancelAsync("never-used", JobId.New()));
    }

    // ---- progress, results, reads ---------------------------------------------------------------------------------

    [Fact]
    public async Task Progress_is_recorded_for_the_current_lease_only()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));

        Assert.True(await Store.SetProgressAsync(Q, id, leased.LeaseToken, 42.5));
        Assert.False(await Store.SetProgressAsync(Q, id, "stale", 99));
        Assert.False(await Store.SetProgressAsync(Q, JobId.New(), leased.LeaseToken, 10));

        Assert.Equal(42.5, (await Store.GetJobAsync(Q, id))!.Progress);
    }

    [Fact]
    public async Task Progress_outside_0_to_100_is_rejected()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.SetProgressAsync(Q, id, leased.LeaseToken, 101));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.SetProgressAsync(Q, id, leased.LeaseToken, -1));
    }

    [Fact]
    public async Task Succeeded_job_without_a_result_reads_back_with_no_result()
    {
        var id = await EnqueueAsync(TestJobs.New());
        await CompleteAsync(Assert.Single(await FetchAsync(1)), CompletionKind.Succeeded);

        var info = await Store.GetJobAsync(Q, id);

        Assert.Equal(JobState.Succeeded, info!.State);
        Assert.Null(info.Result);
    }

    [Fact]
    public async Task Pending_job_reads_back_with_its_fields()
    {
        var job = TestJobs.New("read-me", Priority.Low, maxRetries: 7, payload: """{"n":1}""");
        await Store.EnqueueAsync(job);

        var info = await Store.GetJobAsync(Q, job.Id);

        Assert.NotNull(info);
        Assert.Equal(job.Id, info.Id);
        Assert.Equal("read-me", info.Name);
        Assert.Equal(Q, info.Queue);
        Assert.Equal(Priority.Low, info.Priority);
        Assert.Equal(JobState.Pending, info.State);
        Assert.Equal(0, info.Attempt);
        Assert.Equal(7, info.MaxRetries);
        Assert.Equal("""{"n":1}""", TestJobs.Text(info.Payload));
        Assert.True((DateTimeOffset.UtcNow - info.EnqueuedAt).Duration() < TimeSpan.FromMinutes(1), $"enqueued at {info.EnqueuedAt:O}");
        Assert.Null(info.FinishedAt);
        Assert.Null(info.LastError);
    }

    [Fact]
    public async Task Unknown_ids_are_reported_as_unknown_everywhere()
    {
        var unknown = JobId.New();
        var lease = new LeaseHandle(Q, unknown, "token");

        Assert.Null(await Store.GetJobAsync(Q, unknown));
        Assert.Null(await Store.GetJobAsync("never-used", unknown));
        Assert.False(await Store.CancelAsync(Q, unknown));
        Assert.False(await Admin.RequeueDeadLetterAsync(Q, unknown));
        Assert.False(await Admin.DeleteDeadLetterAsync(Q, unknown));
        Assert.False(await Store.SetProgressAsync(Q, unknown, "token", 5));
        Assert.Single(await Store.CompleteAsync([new JobCompletion { Lease = lease, Kind = CompletionKind.Succeeded }]));
        Assert.Equal([lease], await Store.ExtendLeasesAsync([lease], LongLease));
        Assert.Equal(0, await Store.RecoverExpiredLeasesAsync(Q));
    }
}
