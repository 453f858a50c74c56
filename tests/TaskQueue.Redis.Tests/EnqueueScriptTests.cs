using System.Text;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

[Collection(RedisServerFixture.CollectionName)]
public sealed class EnqueueScriptTests(RedisServerFixture server) : RedisStoreTestBase(server)
{
    [Fact]
    public async Task Enqueued_job_is_stored_pending_with_its_fields()
    {
        var job = Job(payload: """{"to":"a@b.c"}""") with { Timeout = TimeSpan.FromSeconds(5), TraceParent = "00-abc-def-01" };

        var result = await Store.EnqueueAsync(job);

        Assert.Equal(new EnqueueResult(job.Id, true), result);
        var info = await Store.GetJobAsync(Queue, job.Id);
        Assert.NotNull(info);
        Assert.Equal(JobState.Pending, info.State);
        Assert.Equal("Send", info.Name);
        Assert.Equal("""{"to":"a@b.c"}""", Encoding.UTF8.GetString(info.Payload.Span));
        Assert.Equal(0, info.Attempt);
        Assert.Equal(3, info.MaxRetries);
        Assert.Equal(1, await Db.ListLengthAsync(Key("ready:normal")));
        Assert.Contains(Queue, await Store.ListQueueNamesAsync());
    }

    [Fact]
    public async Task Second_enqueue_with_same_idempotency_key_returns_first_job_and_stores_nothing()
    {
        var first = Job() with { IdempotencyKey = "order-42" };
        var second = Job() with { IdempotencyKey = "order-42" };

        await Store.EnqueueAsync(first);
        var result = await Store.EnqueueAsync(second);

        Assert.Equal(new EnqueueResult(first.Id, false), result);
        Assert.Null(await Store.GetJobAsync(Queue, second.Id));
        Assert.Equal(1, await Db.ListLengthAsync(Key("ready:normal")));
    }

    [Fact]
    public async Task Idempotency_key_expires_after_its_ttl()
    {
        await Store.EnqueueAsync(Job() with { IdempotencyKey = "k", IdempotencyTtl = TimeSpan.FromMinutes(5) });

        var ttl = await Db.KeyTimeToLiveAsync(Key("idem:k"));

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Unique_until_finished_key_has_no_ttl_and_is_freed_when_the_job_succeeds()
    {
        var first = Job() with { IdempotencyKey = "u", UniqueUntilFinished = true };
        await Store.EnqueueAsync(first);
        Assert.Null(await Db.KeyTimeToLiveAsync(Key("idem:u")));
        Assert.False((await Store.EnqueueAsync(Job() with { IdempotencyKey = "u", UniqueUntilFinished = true })).Created);

        var leased = Assert.Single(await FetchAsync());
        await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded)]);

        var again = Job() with { IdempotencyKey = "u", UniqueUntilFinished = true };
        Assert.Equal(new EnqueueResult(again.Id, true), await Store.EnqueueAsync(again));
    }

    [Fact]
    public async Task Unique_until_finished_key_is_freed_when_the_job_is_cancelled_or_dead_lettered()
    {
        var cancelled = Job() with { IdempotencyKey = "c", UniqueUntilFinished = true };
        await Store.EnqueueAsync(cancelled);
        Assert.True(await Store.CancelAsync(Queue, cancelled.Id));
        Assert.True((await Store.EnqueueAsync(Job() with { IdempotencyKey = "c", UniqueUntilFinished = true })).Created);

        var dead = Job(queue: "other") with { IdempotencyKey = "d", UniqueUntilFinished = true };
        await Store.EnqueueAsync(dead);
        var leased = Assert.Single(await FetchAsync(queue: "other"));
        await Store.CompleteAsync([Completion(leased, CompletionKind.DeadLetter, "boom")]);
        Assert.True((await Store.EnqueueAsync(Job(queue: "other") with { IdempotencyKey = "d", UniqueUntilFinished = true })).Created);
    }

    [Fact]
    public async Task Bulk_enqueue_with_duplicate_keys_inside_the_batch_creates_the_first_only_and_keeps_input_order()
    {
        var jobs = new[]
        {
            Job(payload: "1") with { IdempotencyKey = "dup" },
            Job(payload: "2"),
            Job(payload: "3") with { IdempotencyKey = "dup" },
            Job(payload: "4", queue: "second"),
        };

        var results = await Store.EnqueueManyAsync(jobs);

        Assert.Equal(
            [new(jobs[0].Id, true), new(jobs[1].Id, true), new(jobs[0].Id, false), new(jobs[3].Id, true)],
            results);
        var leased = await FetchAsync();
        Assert.Equal(["1", "2"], leased.Select(j => Encoding.UTF8.GetString(j.Payload.Span)));
        Assert.Single(await FetchAsync(queue: "second"));
    }

    [Fact]
    public async Task Bulk_enqueue_larger_than_one_script_batch_keeps_fifo_order()
    {
        await using var store = await CreateStoreAsync(o => o.EnqueueBatchSize = 7);
        var jobs = Enumerable.Range(0, 50).Select(i => Job(payload: i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

        var results = await store.EnqueueManyAsync(jobs);

        Assert.All(results, r => Assert.True(r.Created));
        var leased = await store.FetchAsync(new FetchRequest(Queue, 100, TimeSpan.FromSeconds(30), "w"));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), leased.Select(j => Encoding.UTF8.GetString(j.Payload.Span)));
    }

    [Fact]
    public async Task Enqueue_of_an_id_already_stored_creates_nothing()
    {
        var job = Job();
        await Store.EnqueueAsync(job);

        var again = await Store.EnqueueAsync(job);

        Assert.Equal(new EnqueueResult(job.Id, false), again);
        Assert.Equal(1, await Db.ListLengthAsync(Key("ready:normal")));
    }

    [Fact]
    public async Task Delayed_and_future_run_at_jobs_are_scheduled_and_past_run_at_is_ready()
    {
        var delayed = Job() with { Delay = TimeSpan.FromMinutes(5) };
        var future = Job() with { RunAt = DateTimeOffset.UtcNow.AddHours(1) };
        var past = Job() with { RunAt = DateTimeOffset.UtcNow.AddHours(-1) };

        await Store.EnqueueManyAsync([delayed, future, past]);

        Assert.Equal(JobState.Scheduled, (await Store.GetJobAsync(Queue, delayed.Id))!.State);
        Assert.NotNull((await Store.GetJobAsync(Queue, delayed.Id))!.DueAt);
        Assert.Equal(JobState.Scheduled, (await Store.GetJobAsync(Queue, future.Id))!.State);
        Assert.Equal(JobState.Pending, (await Store.GetJobAsync(Queue, past.Id))!.State);
        var stats = await Store.GetQueueStatsAsync(Queue);
        Assert.Equal(2, stats.Scheduled);
        Assert.Equal(1, stats.Pending);
    }

    [Fact]
    public async Task Invalid_job_is_rejected_with_a_message_naming_job_field_and_value()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Store.EnqueueAsync(Job(name: "Report") with { Delay = TimeSpan.FromSeconds(-1) }).AsTask());
        Assert.Contains("Report", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Delay", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-00:00:01", ex.Message, StringComparison.Ordinal);

        var queueEx = await Assert.ThrowsAsync<ArgumentException>(() => Store.EnqueueManyAsync([Job(), Job(queue: "bad queue")]).AsTask());
        Assert.Contains("'bad queue'", queueEx.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await Store.GetQueueStatsAsync(Queue)).Pending);
    }

    [Fact]
    public async Task All_keys_of_a_queue_share_one_hash_tag()
    {
        await Store.EnqueueManyAsync([Job() with { IdempotencyKey = "x" }, Job() with { Delay = TimeSpan.FromMinutes(1) }]);
        var leased = await FetchAsync();
        await Store.CompleteAsync([Completion(leased[0], CompletionKind.DeadLetter, "e")]);

        var server = Server.Admin.GetServer(Server.Admin.GetEndPoints()[0]);
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: $"{{{Prefix}:*"))
        {
            keys.Add(key.ToString());
        }

        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.StartsWith($"{{{Prefix}:{Queue}}}:", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bulk_enqueue_with_a_taken_id_in_the_middle_creates_only_the_others_in_input_order()
    {
        var taken = Job(payload: "original");
        await Store.EnqueueAsync(taken);
        var a = Job(payload: "a");
        var b = Job(payload: "b");
        var c = Job(payload: "c", priority: Priority.High);

        var results = await Store.EnqueueManyAsync([a, taken with { Payload = "changed"u8.ToArray() }, b, c]);

        Assert.Equal([new EnqueueResult(a.Id, true), new EnqueueResult(taken.Id, false), new EnqueueResult(b.Id, true), new EnqueueResult(c.Id, true)], results);
        var leased = await FetchAsync();
        Assert.Equal(["c", "original", "a", "b"], leased.Select(j => Encoding.UTF8.GetString(j.Payload.Span)));
        Assert.Equal(4, leased.Select(j => j.Id).Distinct().Count());
    }

    [Fact]
    public async Task The_same_id_twice_in_one_bulk_enqueue_is_created_once()
    {
        var job = Job(payload: "first");

        var results = await Store.EnqueueManyAsync([job, job with { Payload = "second"u8.ToArray() }]);

        Assert.Equal([new EnqueueResult(job.Id, true), new EnqueueResult(job.Id, false)], results);
        Assert.Equal("first", Encoding.UTF8.GetString(Assert.Single(await FetchAsync()).Payload.Span));
    }

    [Fact]
    public async Task Bulk_enqueue_of_delayed_jobs_schedules_each_at_its_own_time()
    {
        var later = Job(payload: "later") with { Delay = TimeSpan.FromHours(2) };
        var sooner = Job(payload: "sooner") with { Delay = TimeSpan.FromHours(1) };

        await Store.EnqueueManyAsync([later, sooner, Job(payload: "now")]);

        var scheduled = await Db.SortedSetRangeByRankWithScoresAsync(Key("scheduled"));
        Assert.Equal([sooner.Id.Value, later.Id.Value], scheduled.Select(e => e.Element.ToString()));
        Assert.Equal(JobState.Scheduled, (await Store.GetJobAsync(Queue, later.Id))!.State);
        Assert.Equal("now", Encoding.UTF8.GetString(Assert.Single(await FetchAsync()).Payload.Span));
    }

    [Fact]
    public async Task Bulk_enqueue_mixing_every_option_stores_each_job_with_its_own_options()
    {
        // Options travel only when set (a flags value says which follow), so each job's values start at a different place.
        var plain = Job(payload: "plain");
        var timed = Job(payload: "timed") with { Timeout = TimeSpan.FromSeconds(7), TraceParent = "00-a-b-01" };
        var unique = Job(payload: "unique") with { IdempotencyKey = "u-1", UniqueUntilFinished = true };
        var delayed = Job(payload: "delayed") with { Delay = TimeSpan.FromHours(1) };
        var keyed = Job(payload: "keyed") with { IdempotencyKey = "k-1", IdempotencyTtl = TimeSpan.FromMinutes(5), RunAt = DateTimeOffset.UtcNow.AddHours(2) };
        var last = Job(payload: "last", priority: Priority.Low);

        var results = await Store.EnqueueManyAsync([plain, timed, unique, delayed, keyed, last]);

        Assert.All(results, r => Assert.True(r.Created));
        var leased = await FetchAsync();
        Assert.Equal(["plain", "timed", "unique", "last"], leased.Select(j => Encoding.UTF8.GetString(j.Payload.Span)));
        Assert.Equal(TimeSpan.FromSeconds(7), leased[1].Timeout);
        Assert.Equal("00-a-b-01", leased[1].TraceParent);
        Assert.Null(leased[0].Timeout);
        Assert.Null(leased[3].TraceParent);
        Assert.Equal(Priority.Low, leased[3].Priority);
        Assert.Null(await Db.KeyTimeToLiveAsync(Key("idem:u-1")));
        Assert.InRange((await Db.KeyTimeToLiveAsync(Key("idem:k-1")))!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.Equal("u-1", (await Store.GetJobAsync(Queue, unique.Id))!.IdempotencyKey);
        var delayedInfo = (await Store.GetJobAsync(Queue, delayed.Id))!;
        var keyedInfo = (await Store.GetJobAsync(Queue, keyed.Id))!;
        Assert.Equal(JobState.Scheduled, delayedInfo.State);
        Assert.Equal(JobState.Scheduled, keyedInfo.State);
        Assert.True(keyedInfo.DueAt > delayedInfo.DueAt);
        Assert.Equal("k-1", keyedInfo.IdempotencyKey);
    }

    [Fact]
    public async Task Enqueue_succeeds_once_when_the_queue_registry_write_is_refused()
    {
        // Allowed the queue's keys ({prefix:queue}:...) but not the registry ({prefix}:queues): like a registry whose
        // cluster node is down, the registry write fails while the queue's own script succeeds.
        var user = $"tq-limited-{Prefix}";
        await Server.ExecuteAsync("ACL", "SETUSER", user, "on", ">pw", $"~{{{Prefix}:*", "&*", "+@all");
        try
        {
            await using var limited = await RedisJobStore.ConnectAsync(new RedisJobStoreOptions
            {
                ConnectionString = $"{Server.ConnectionString},user={user},password=pw",
                KeyPrefix = Prefix,
            });
            var job = Job(name: "Limited");

            var first = await limited.EnqueueAsync(job);
            var again = await limited.EnqueueAsync(job);

            Assert.Equal(new EnqueueResult(job.Id, true), first);
            Assert.Equal(new EnqueueResult(job.Id, false), again);
            Assert.Equal(1, await Db.ListLengthAsync(Key("ready:normal")));
            Assert.False(await Db.SetContainsAsync($"{{{Prefix}}}:queues", Queue));
            var leased = await limited.FetchAsync(new FetchRequest(Queue, 10, TimeSpan.FromSeconds(30), "worker-1"));
            Assert.Equal(job.Id, Assert.Single(leased).Id);
        }
        finally
        {
            await Server.ExecuteAsync("ACL", "DELUSER", user);
        }
    }
}
