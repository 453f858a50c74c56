using System.Diagnostics;
using System.Text;
using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    // ---- completion ---------------------------------------------------------------------------------------

    [Fact]
    public async Task Succeeded_completion_stores_the_result_and_counts_processed()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));

        var rejected = await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded) with { Result = Encoding.UTF8.GetBytes("""{"ok":true}""") }]);

        Assert.Empty(rejected);
        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Succeeded, info!.State);
        Assert.Equal("""{"ok":true}""", TestJobs.Text(info.Result!.Value));
        Assert.NotNull(info.FinishedAt);
        Assert.Equal(1, info.Attempt);
        var stats = await Admin.GetQueueStatsAsync(Q);
        Assert.Equal(1, stats.ProcessedToday);
        Assert.Equal(0, stats.Active);
    }

    [Fact]
    public async Task Retry_completion_schedules_the_job_after_its_delay_with_the_error()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 3));
        var first = Assert.Single(await FetchAsync(1));

        await Store.CompleteAsync([Completion(first, CompletionKind.Retry) with { RetryDelay = ShortDelay, Error = "System.IO.IOException: disk full" }]);

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Scheduled, info!.State);
        Assert.Equal("System.IO.IOException: disk full", info.LastError);
        var stats = await Admin.GetQueueStatsAsync(Q);
        Assert.Equal(1, stats.Retrying);
        Assert.Equal(0, stats.Scheduled);
        Assert.Equal(1, stats.FailedToday);
        var second = await Eventually.ValueAsync(async () => (await FetchAsync(1)).FirstOrDefault(), "the retry to become due");
        Assert.Equal(id, second.Id);
        Assert.Equal(2, second.Attempt);
    }

    [Fact]
    public async Task Dead_letter_completion_moves_the_job_to_the_dead_letters_with_its_error()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 0));
        var leased = Assert.Single(await FetchAsync(1));

        await Store.CompleteAsync([Completion(leased, CompletionKind.DeadLetter) with { Error = "System.InvalidOperationException: boom" }]);

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Dead, info!.State);
        Assert.Equal("System.InvalidOperationException: boom", info.LastError);
        Assert.Equal(id, Assert.Single(await Admin.ListDeadLettersAsync(Q, 0, 10)).Id);
        var stats = await Admin.GetQueueStatsAsync(Q);
        Assert.Equal(1, stats.Dead);
        Assert.Equal(1, stats.FailedToday);
        Assert.Empty(await FetchAsync(1));
    }

    [Fact]
    public async Task Job_retried_until_out_of_retries_ends_in_the_dead_letters()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 2));
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var leased = await Eventually.ValueAsync(async () => (await FetchAsync(1)).FirstOrDefault(), $"attempt {attempt}");
            Assert.Equal(attempt, leased.Attempt);
            var kind = attempt <= leased.MaxRetries ? CompletionKind.Retry : CompletionKind.DeadLetter;
            await Store.CompleteAsync([Completion(leased, kind) with { RetryDelay = TimeSpan.Zero, Error = $"failure {attempt}" }]);
        }

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Dead, info!.State);
        Assert.Equal(3, info.Attempt);
        Assert.Equal("failure 3", info.LastError);
        Assert.Equal(3, (await Admin.GetQueueStatsAsync(Q)).FailedToday);
    }

    [Fact]
    public async Task Completion_with_a_stale_lease_token_is_rejected_and_changes_nothing()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));
        var stale = Completion(leased, CompletionKind.Succeeded) with { Lease = leased.Lease with { LeaseToken = "not-the-token" } };

        var rejected = await Store.CompleteAsync([stale]);

        Assert.Same(stale, Assert.Single(rejected));
        Assert.Equal(JobState.Active, (await Store.GetJobAsync(Q, id))!.State);
        Assert.Equal(0, (await Admin.GetQueueStatsAsync(Q)).ProcessedToday);
    }

    [Fact]
    public async Task Completion_batch_rejects_only_its_stale_entries()
    {
        await EnqueueAsync(TestJobs.New());
        await EnqueueAsync(TestJobs.New());
        var leased = await FetchAsync(2);
        var stale = Completion(leased[1], CompletionKind.Succeeded) with { Lease = leased[1].Lease with { LeaseToken = "stale" } };

        var rejected = await Store.CompleteAsync([Completion(leased[0], CompletionKind.Succeeded), stale]);

        Assert.Same(stale, Assert.Single(rejected));
        Assert.Equal(JobState.Succeeded, (await Store.GetJobAsync(Q, leased[0].Id))!.State);
        Assert.Equal(JobState.Active, (await Store.GetJobAsync(Q, leased[1].Id))!.State);
    }

    [Fact]
    public async Task Second_completion_of_the_same_attempt_is_rejected()
    {
        await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));
        await CompleteAsync(leased, CompletionKind.Succeeded);

        var rejected = await Store.CompleteAsync([Completion(leased, CompletionKind.DeadLetter) with { Error = "late" }]);

        Assert.Single(rejected);
        Assert.Equal(JobState.Succeeded, (await Store.GetJobAsync(Q, leased.Id))!.State);
    }

    [Fact]
    public async Task Release_returns_the_job_to_ready_without_counting_the_attempt()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var first = Assert.Single(await FetchAsync(1));

        await CompleteAsync(first, CompletionKind.Release);

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Pending, info!.State);
        Assert.Equal(0, info.Attempt);
        var again = Assert.Single(await FetchAsync(1));
        Assert.Equal(1, again.Attempt);
        var stats = await Admin.GetQueueStatsAsync(Q);
        Assert.Equal(0, stats.FailedToday);
        Assert.Equal(0, stats.ProcessedToday);
    }
}
