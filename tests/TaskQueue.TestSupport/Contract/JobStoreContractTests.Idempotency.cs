using System.Diagnostics;
using System.Text;
using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    // ---- idempotency ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Enqueue_with_a_taken_idempotency_key_returns_the_first_job_id()
    {
        var first = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "order-42" });
        var second = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "order-42" });

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(1, (await Admin.GetQueueStatsAsync(Q)).Pending);
        Assert.Equal("order-42", (await Store.GetJobAsync(Q, first.Id))!.IdempotencyKey);
    }

    [Fact]
    public async Task Bulk_enqueue_applies_idempotency_keys_within_the_batch()
    {
        var results = await Store.EnqueueManyAsync([TestJobs.New() with { IdempotencyKey = "k" }, TestJobs.New() with { IdempotencyKey = "k" }, TestJobs.New()]);

        Assert.True(results[0].Created);
        Assert.False(results[1].Created);
        Assert.Equal(results[0].Id, results[1].Id);
        Assert.True(results[2].Created);
        Assert.Equal(2, (await Admin.GetQueueStatsAsync(Q)).Pending);
    }

    [Fact]
    public async Task Idempotency_keys_are_scoped_per_queue()
    {
        var a = await Store.EnqueueAsync(TestJobs.New(queue: "queue-a") with { IdempotencyKey = "same" });
        var b = await Store.EnqueueAsync(TestJobs.New(queue: "queue-b") with { IdempotencyKey = "same" });

        Assert.True(a.Created);
        Assert.True(b.Created);
        Assert.NotEqual(a.Id, b.Id);
    }

    [Fact]
    public async Task Idempotency_key_is_forgotten_after_its_ttl()
    {
        var first = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "ttl", IdempotencyTtl = ShortDelay });

        Assert.False((await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "ttl", IdempotencyTtl = ShortDelay })).Created);
        var later = await Eventually.ValueAsync(
            async () => await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "ttl", IdempotencyTtl = TimeSpan.FromMinutes(5) }) is { Created: true } r ? (object)r : null,
            "the idempotency key to expire");

        Assert.NotEqual(first.Id, ((EnqueueResult)later).Id);
    }

    [Fact]
    public async Task Unique_until_finished_key_is_held_while_the_job_runs_and_freed_when_it_succeeds()
    {
        var first = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "report", UniqueUntilFinished = true, IdempotencyTtl = ShortDelay });
        var leased = Assert.Single(await FetchAsync(1));
        await Task.Delay(ShortDelay * 2);

        var whileRunning = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "report", UniqueUntilFinished = true });
        await CompleteAsync(leased, CompletionKind.Succeeded);
        var afterSuccess = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "report", UniqueUntilFinished = true });

        Assert.False(whileRunning.Created);
        Assert.Equal(first.Id, whileRunning.Id);
        Assert.True(afterSuccess.Created);
        Assert.NotEqual(first.Id, afterSuccess.Id);
    }

    [Fact]
    public async Task Unique_until_finished_key_is_freed_when_the_job_is_dead_lettered_or_cancelled()
    {
        var dead = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "dead", UniqueUntilFinished = true });
        await CompleteAsync(Assert.Single(await FetchAsync(1)), CompletionKind.DeadLetter);
        var cancelled = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "cancelled", UniqueUntilFinished = true });
        Assert.True(await Store.CancelAsync(Q, cancelled.Id));

        Assert.True((await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "dead", UniqueUntilFinished = true })).Created);
        Assert.True((await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "cancelled", UniqueUntilFinished = true })).Created);
        Assert.True(dead.Created);
    }
}
