using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    // ---- deferral (no handler for the job's name) ----------------------------------------------------------------

    [Fact]
    public async Task Defer_schedules_the_job_after_its_delay_without_counting_the_attempt()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 3));
        var first = Assert.Single(await FetchAsync(1));
        Assert.Equal(0, first.Deferrals);

        await CompleteAsync(first, CompletionKind.Defer, ShortDelay, "no handler for 'test-job'");

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Scheduled, info!.State);
        Assert.Equal(0, info.Attempt);
        Assert.Equal(1, info.Deferrals);
        Assert.Equal("no handler for 'test-job'", info.LastError);
        Assert.NotNull(info.DueAt);
        var stats = await Admin.GetQueueStatsAsync(Q);
        Assert.Equal(1, stats.Scheduled);
        Assert.Equal(0, stats.Retrying);
        Assert.Equal(0, stats.Active);
        Assert.Equal(1, stats.DeferredToday);
        Assert.Equal(0, stats.FailedToday);
        Assert.Equal(0, stats.ProcessedToday);
        Assert.Empty(await FetchAsync(1));

        var again = await Eventually.ValueAsync(async () => (await FetchAsync(1)).FirstOrDefault(), "the deferred job to become due");
        Assert.Equal(id, again.Id);
        Assert.Equal(1, again.Attempt);
        Assert.Equal(1, again.Deferrals);
    }

    [Fact]
    public async Task Deferrals_add_up_over_attempts()
    {
        var id = await EnqueueAsync(TestJobs.New());
        for (var deferral = 0; deferral < 2; deferral++)
        {
            var leased = await Eventually.ValueAsync(async () => (await FetchAsync(1)).FirstOrDefault(), $"deferral {deferral}");
            Assert.Equal(deferral, leased.Deferrals);
            await CompleteAsync(leased, CompletionKind.Defer, TimeSpan.Zero, "unknown");
        }

        var last = await Eventually.ValueAsync(async () => (await FetchAsync(1)).FirstOrDefault(), "the third attempt");
        Assert.Equal(2, last.Deferrals);
        Assert.Equal(1, last.Attempt);
        await CompleteAsync(last, CompletionKind.Succeeded);
        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(2, info!.Deferrals);
        Assert.Equal(2, (await Admin.GetQueueStatsAsync(Q)).DeferredToday);
    }

    /// <summary>Completes one attempt with a delay and an error, and requires the store to accept it.</summary>
    private async Task CompleteAsync(LeasedJob job, CompletionKind kind, TimeSpan delay, string error)
        => Assert.Empty(await Store.CompleteAsync([new JobCompletion { Lease = job.Lease, Kind = kind, RetryDelay = delay, Error = error }]));
}
