using System.Diagnostics;
using System.Text;
using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    // ---- pause / resume ---------------------------------------------------------------------------------------

    [Fact]
    public async Task Paused_queue_accepts_jobs_but_hands_out_nothing_until_resumed()
    {
        await Admin.PauseAsync(Q);
        var id = await EnqueueAsync(TestJobs.New());

        Assert.Empty(await FetchAsync(10));
        Assert.True((await Admin.GetQueueStatsAsync(Q)).Paused);

        await Admin.ResumeAsync(Q);

        Assert.Equal(id, Assert.Single(await FetchAsync(10)).Id);
        Assert.False((await Admin.GetQueueStatsAsync(Q)).Paused);
    }

    [Fact]
    public async Task Pausing_one_queue_leaves_others_running()
    {
        await Admin.PauseAsync("paused");
        await EnqueueAsync(TestJobs.New(queue: "paused"));
        var id = await EnqueueAsync(TestJobs.New(queue: "running"));

        Assert.Empty(await Store.FetchAsync(new FetchRequest("paused", 10, LongLease, WorkerId)));
        Assert.Equal(id, Assert.Single(await Store.FetchAsync(new FetchRequest("running", 10, LongLease, WorkerId))).Id);
    }

    // ---- stats, queues ------------------------------------------------------------------------------------------

    [Fact]
    public async Task Stats_count_jobs_by_state()
    {
        await EnqueueAsync(TestJobs.New());
        await EnqueueAsync(TestJobs.New());
        await EnqueueAsync(TestJobs.New());
        await EnqueueAsync(TestJobs.New() with { Delay = TimeSpan.FromHours(1) });
        var leased = await FetchAsync(2);
        await Store.CompleteAsync([
            Completion(leased[0], CompletionKind.Retry) with { RetryDelay = TimeSpan.FromHours(1), Error = "e" },
        ]);
        await EnqueueAsync(TestJobs.New());
        var toKill = Assert.Single(await FetchAsync(1));
        await CompleteAsync(toKill, CompletionKind.DeadLetter);
        var toSucceed = Assert.Single(await FetchAsync(1));
        await CompleteAsync(toSucceed, CompletionKind.Succeeded);

        var stats = await Admin.GetQueueStatsAsync(Q);

        Assert.Equal(Q, stats.Queue);
        Assert.Equal(0, stats.Pending);
        Assert.Equal(1, stats.Scheduled);
        Assert.Equal(1, stats.Retrying);
        Assert.Equal(1, stats.Active);
        Assert.Equal(1, stats.Dead);
        Assert.Equal(1, stats.ProcessedToday);
        Assert.Equal(2, stats.FailedToday);
        Assert.False(stats.Paused);
    }

    [Fact]
    public async Task Stats_of_an_unknown_queue_are_zero()
    {
        var stats = await Admin.GetQueueStatsAsync("never-used");

        Assert.Equal("never-used", stats.Queue);
        Assert.Equal(0, stats.Pending + stats.Scheduled + stats.Retrying + stats.Active + stats.Dead + stats.ProcessedToday + stats.FailedToday);
    }

    [Fact]
    public async Task Queues_that_received_jobs_are_listed()
    {
        await EnqueueAsync(TestJobs.New(queue: "emails"));
        await EnqueueAsync(TestJobs.New(queue: "reports") with { Delay = TimeSpan.FromHours(1) });

        var queues = await Admin.ListQueueNamesAsync();

        Assert.Contains("emails", queues);
        Assert.Contains("reports", queues);
        Assert.DoesNotContain("never-used", queues);
    }

    // ---- waiting for work ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task Wait_for_work_wakes_on_enqueue_long_before_max_wait()
    {
        var clock = Stopwatch.StartNew();
        var waiting = Store.WaitForWorkAsync([Q], TimeSpan.FromSeconds(30)).AsTask();
        await Task.Delay(100);

        await EnqueueAsync(TestJobs.New());
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"woke after {clock.Elapsed}");
    }

    [Fact]
    public async Task Wait_for_work_wakes_when_a_scheduled_job_falls_due()
    {
        await EnqueueAsync(TestJobs.New() with { Delay = ShortDelay });

        await Store.WaitForWorkAsync([Q], TimeSpan.FromSeconds(30)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        await Eventually.TrueAsync(async () => (await FetchAsync(1)).Count == 1, "the due job to be fetchable");
    }

    [Fact]
    public async Task Wait_for_work_returns_after_max_wait_when_nothing_happens()
    {
        await Store.WaitForWorkAsync([Q, "other"], ShortDelay).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Wait_for_work_ignores_enqueues_to_queues_it_does_not_watch()
    {
        var waiting = Store.WaitForWorkAsync([Q], TimeSpan.FromSeconds(1)).AsTask();
        await EnqueueAsync(TestJobs.New(queue: "elsewhere"));
        await Task.Delay(100);

        Assert.False(waiting.IsCompleted);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
