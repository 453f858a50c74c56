using System.Diagnostics;
using System.Text;
using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    // ---- scheduling ---------------------------------------------------------------------------------------

    [Fact]
    public async Task Delayed_job_is_not_fetched_before_it_is_due_and_is_fetched_after()
    {
        var clock = Stopwatch.StartNew();
        var id = await EnqueueAsync(TestJobs.New() with { Delay = ShortDelay });

        var early = await FetchAsync(1);
        var beforeDue = clock.Elapsed;
        Assert.Equal(JobState.Scheduled, (await Store.GetJobAsync(Q, id))!.State);
        var leased = await Eventually.ValueAsync(async () => (await FetchAsync(1)).FirstOrDefault(), "the delayed job to become due");

        if (beforeDue < ShortDelay)
        {
            Assert.Empty(early);
        }

        Assert.Equal(id, leased.Id);
        Assert.True(clock.Elapsed >= ShortDelay - TimeSpan.FromMilliseconds(50), $"fetched after {clock.Elapsed}, before its {ShortDelay} delay");
    }

    [Fact]
    public async Task Job_scheduled_for_an_absolute_time_in_the_past_is_ready_at_once()
    {
        var id = await EnqueueAsync(TestJobs.New() with { RunAt = DateTimeOffset.UtcNow.AddMinutes(-1) });

        Assert.Equal(id, Assert.Single(await FetchAsync(1)).Id);
    }

    [Fact]
    public async Task Job_scheduled_far_ahead_reports_its_due_time_and_counts_as_scheduled()
    {
        var runAt = DateTimeOffset.UtcNow.AddHours(1);
        var id = await EnqueueAsync(TestJobs.New() with { RunAt = runAt });

        var info = await Store.GetJobAsync(Q, id);

        Assert.Equal(JobState.Scheduled, info!.State);
        Assert.NotNull(info.DueAt);
        Assert.True((info.DueAt!.Value - runAt).Duration() < TimeSpan.FromSeconds(1), $"due {info.DueAt:O}, expected {runAt:O}");
        Assert.Empty(await FetchAsync(1));
        var stats = await Admin.GetQueueStatsAsync(Q);
        Assert.Equal(1, stats.Scheduled);
        Assert.Equal(0, stats.Pending);
    }
}
