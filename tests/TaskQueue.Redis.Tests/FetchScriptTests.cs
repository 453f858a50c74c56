using System.Text;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

[Collection(RedisServerFixture.CollectionName)]
public sealed class FetchScriptTests(RedisServerFixture server) : RedisStoreTestBase(server)
{
    [Fact]
    public async Task Fetch_from_an_empty_or_unknown_queue_returns_nothing()
    {
        Assert.Empty(await FetchAsync());
        Assert.Empty(await FetchAsync(queue: "never-used"));
    }

    [Fact]
    public async Task Fetch_takes_strict_priority_then_fifo_within_a_priority()
    {
        var low = Job(payload: "low", priority: Priority.Low);
        var normal1 = Job(payload: "normal1");
        var critical = Job(payload: "critical", priority: Priority.Critical);
        var normal2 = Job(payload: "normal2");
        var high = Job(payload: "high", priority: Priority.High);
        await Store.EnqueueManyAsync([low, normal1, critical, normal2, high]);

        var first = await FetchAsync(max: 3);
        var rest = await FetchAsync(max: 10);

        Assert.Equal(["critical", "high", "normal1"], first.Select(j => Encoding.UTF8.GetString(j.Payload.Span)));
        Assert.Equal(["normal2", "low"], rest.Select(j => Encoding.UTF8.GetString(j.Payload.Span)));
    }

    [Fact]
    public async Task Fetched_payloads_come_back_byte_for_byte_whatever_their_size_and_characters()
    {
        // Fetch packs a batch into one length-prefixed reply: multi-byte UTF-8, separators and sizes on both sides
        // of the 1 KB copy threshold must survive it.
        string[] payloads =
        [
            "{}",
            "{\"s\":\"\u00e9\u4e2d\ud83d\ude00 \\u0000|:;,\"}",
            "{\"s\":\"" + new string('\u00e9', 600) + "\"}",
            "{\"s\":\"" + string.Concat(Enumerable.Repeat("\ud83d\ude00|", 3000)) + "\"}",
            "{\"n\":" + new string('7', 1023) + "}",
        ];
        await Store.EnqueueManyAsync([.. payloads.Select(p => Job(payload: p))]);

        var leased = await FetchAsync(max: 10);

        Assert.Equal(payloads, leased.Select(j => Encoding.UTF8.GetString(j.Payload.Span)));
    }

    [Fact]
    public async Task Fetched_job_carries_its_data_a_counted_attempt_and_a_unique_lease()
    {
        var job = Job(payload: "[1]", maxRetries: 7, priority: Priority.High) with { Timeout = TimeSpan.FromSeconds(90), TraceParent = "00-trace-span-01" };
        await Store.EnqueueManyAsync([job, Job()]);

        var leased = await FetchAsync(max: 2);

        var first = leased[0];
        Assert.Equal(job.Id, first.Id);
        Assert.Equal("Send", first.Name);
        Assert.Equal(Queue, first.Queue);
        Assert.Equal(Priority.High, first.Priority);
        Assert.Equal("[1]", Encoding.UTF8.GetString(first.Payload.Span));
        Assert.Equal(1, first.Attempt);
        Assert.Equal(7, first.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(90), first.Timeout);
        Assert.Equal("00-trace-span-01", first.TraceParent);
        Assert.InRange(first.EnqueuedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.NotEqual(leased[0].LeaseToken, leased[1].LeaseToken);
        Assert.Null(leased[1].Timeout);
        Assert.Null(leased[1].TraceParent);
        Assert.Equal(JobState.Active, (await Store.GetJobAsync(Queue, job.Id))!.State);
        Assert.Equal(2, (await Store.GetQueueStatsAsync(Queue)).Active);
    }

    [Fact]
    public async Task Paused_queue_hands_out_nothing_until_resumed_and_enqueue_still_works()
    {
        await Store.PauseAsync(Queue);
        await Store.EnqueueAsync(Job());

        Assert.Empty(await FetchAsync());
        Assert.True((await Store.GetQueueStatsAsync(Queue)).Paused);

        await Store.ResumeAsync(Queue);
        Assert.Single(await FetchAsync());
        Assert.False((await Store.GetQueueStatsAsync(Queue)).Paused);
    }

    [Fact]
    public async Task Not_yet_due_job_is_not_fetched_and_a_due_one_is_promoted_by_fetch()
    {
        var later = Job(payload: "later") with { Delay = TimeSpan.FromHours(1) };
        var soon = Job(payload: "soon") with { Delay = TimeSpan.FromMilliseconds(150) };
        await Store.EnqueueManyAsync([later, soon]);

        Assert.Empty(await FetchAsync());
        IReadOnlyList<LeasedJob> leased = [];
        Assert.True(await EventuallyAsync(async () => (leased = await FetchAsync()).Count > 0));

        Assert.Equal(soon.Id, Assert.Single(leased).Id);
        Assert.Equal(1, (await Store.GetQueueStatsAsync(Queue)).Scheduled);
    }

    [Fact]
    public async Task Ids_whose_hash_vanished_are_skipped_and_the_batch_is_filled_from_the_rest()
    {
        var gone = Job(payload: "gone");
        var kept1 = Job(payload: "kept1");
        var kept2 = Job(payload: "kept2");
        await Store.EnqueueManyAsync([gone, kept1, kept2]);
        await Db.KeyDeleteAsync(Key("job:" + gone.Id));

        var leased = await FetchAsync(max: 2);

        Assert.Equal([kept1.Id, kept2.Id], leased.Select(j => j.Id));
    }

    [Fact]
    public async Task Invalid_fetch_request_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.FetchAsync(new FetchRequest(Queue, 0, TimeSpan.FromSeconds(1), "w")).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => Store.FetchAsync(new FetchRequest("no spaces", 1, TimeSpan.FromSeconds(1), "w")).AsTask());
    }
}
