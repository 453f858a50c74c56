using StackExchange.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>
/// A job hash with an unusable field (written by hand, another tool or a bug) is dead-lettered on its own, naming the
/// field and value; the jobs around it are delivered and every script keeps working.
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class MalformedJobTests(RedisServerFixture server) : RedisStoreTestBase(server)
{
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(200);

    /// <summary>Field, stored value (null: the field is deleted) and the error the job must be dead-lettered with.</summary>
    public static TheoryData<string, string?, string> Corruptions() => new()
    {
        { "name", "", "stored field 'name' has the invalid value ''" },
        { "prio", "x", "stored field 'prio' has the invalid value 'x'" },
        { "prio", "9", "stored field 'prio' has the invalid value '9'" },
        { "attempt", "abc", "stored field 'attempt' has the invalid value 'abc'" },
        { "maxr", "abc", "stored field 'maxr' has the invalid value 'abc'" },
        { "timeout", "abc", "stored field 'timeout' has the invalid value 'abc'" },
        // Digits the script accepts but no TimeSpan holds: the client parser dead-letters it.
        { "timeout", "999999999999999", "stored field 'timeout' has the invalid value '999999999999999'" },
        { "enq", "abc", "stored field 'enq' has the invalid value 'abc'" },
        { "payload", null, "stored field 'payload' is missing" },
        { "trace", "00-abc\n\u0001", "stored field 'trace' has the invalid value '00-abc\n\u0001'" },
        { "uuf", "x", "stored field 'uuf' has the invalid value 'x'" },
        { "idem", null, "stored field 'uuf' has the invalid value '1' without a stored 'idem'" },
        { "defer", "-1", "stored field 'defer' has the invalid value '-1'" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public async Task Malformed_field_dead_letters_only_that_job_and_delivers_the_others_once(string field, string? value, string error)
    {
        var (good, bad) = await EnqueueAroundAsync();
        if (value is null)
        {
            await Db.HashDeleteAsync(JobKey(bad), field);
        }
        else
        {
            await Db.HashSetAsync(JobKey(bad), field, value);
        }

        await AssertOnlyGoodJobsDeliveredAsync(good, bad, error);
    }

    [Fact]
    public async Task Job_whose_hash_was_deleted_while_ready_is_a_dead_letter_and_the_others_are_delivered()
    {
        var (good, bad) = await EnqueueAroundAsync();
        await Db.KeyDeleteAsync(JobKey(bad));

        await AssertOnlyGoodJobsDeliveredAsync(good, bad, "the job hash is missing");
    }

    [Fact]
    public async Task Scheduled_job_with_a_malformed_priority_is_a_dead_letter_when_due()
    {
        var bad = (await Store.EnqueueAsync(Job() with { Delay = TimeSpan.FromMilliseconds(50) })).Id;
        var good = (await Store.EnqueueAsync(Job())).Id;
        await Db.HashSetAsync(JobKey(bad), "prio", "7");
        await Task.Delay(100);

        Assert.Equal(good, Assert.Single(await FetchAsync()).Id);
        var info = await Store.GetJobAsync(Queue, bad);
        Assert.Equal(JobState.Dead, info!.State);
        Assert.Equal("stored field 'prio' has the invalid value '7'", info.LastError);
        Assert.Equal(0, (await Store.GetQueueStatsAsync(Queue)).Scheduled);
    }

    [Fact]
    public async Task Recovery_dead_letters_a_leased_job_with_malformed_max_retries_and_recovers_the_others()
    {
        await Store.EnqueueManyAsync([Job(), Job()]);
        var leased = await FetchAsync(lease: ShortLease);
        await Db.HashSetAsync(JobKey(leased[0].Id), "maxr", "abc");
        var decided = new List<JobId>();

        Assert.True(await EventuallyAsync(async () => await Store.RecoverExpiredLeasesAsync(Queue, e =>
        {
            decided.Add(e.Lease.Id);
            return StoreRecovery.RetryAtOnce(e);
        }) == 2));

        Assert.Equal([leased[1].Id], decided);
        var bad = await Store.GetJobAsync(Queue, leased[0].Id);
        Assert.Equal(JobState.Dead, bad!.State);
        Assert.Equal("stored field 'maxr' has the invalid value 'abc'", bad.LastError);
        Assert.Equal(1, bad.Attempt);
        Assert.Equal(leased[1].Id, Assert.Single(await FetchAsync()).Id);
        Assert.Equal(2, (await Store.GetQueueStatsAsync(Queue)).FailedToday);
    }

    [Fact]
    public async Task Recovery_dead_letters_a_job_whose_lease_value_is_malformed()
    {
        await Store.EnqueueAsync(Job());
        var leased = Assert.Single(await FetchAsync(lease: ShortLease));
        await Db.HashSetAsync(Key("leases"), leased.Id.Value, "garbage");

        Assert.True(await EventuallyAsync(async () => await Store.RecoverExpiredLeasesAsync(Queue) == 1));

        var info = await Store.GetJobAsync(Queue, leased.Id);
        Assert.Equal(JobState.Dead, info!.State);
        Assert.Equal("stored lease has the invalid value 'garbage'", info.LastError);
        Assert.Equal(0, await Db.HashLengthAsync(Key("leases")));
    }

    [Fact]
    public async Task Cancel_of_a_pending_job_with_a_malformed_priority_removes_it_from_its_list()
    {
        var id = (await Store.EnqueueAsync(Job(priority: Priority.High))).Id;
        await Db.HashSetAsync(JobKey(id), "prio", "9");

        Assert.True(await Store.CancelAsync(Queue, id));

        Assert.Equal(0, await Db.ListLengthAsync(Key("ready:high")));
        Assert.Equal(JobState.Cancelled, (await Store.GetJobAsync(Queue, id))!.State);
    }

    [Fact]
    public async Task Requeue_leaves_a_dead_letter_with_a_malformed_priority_dead_and_requeues_the_others()
    {
        await Store.EnqueueManyAsync([Job(maxRetries: 0), Job(maxRetries: 0)]);
        var leased = await FetchAsync();
        await Store.CompleteAsync([Completion(leased[0], CompletionKind.DeadLetter, "e"), Completion(leased[1], CompletionKind.DeadLetter, "e")]);
        await Db.HashSetAsync(JobKey(leased[0].Id), "prio", "x");

        Assert.Equal(1, await Store.RequeueAllDeadLettersAsync(Queue));
        Assert.False(await Store.RequeueDeadLetterAsync(Queue, leased[0].Id));

        Assert.Equal(JobState.Dead, (await Store.GetJobAsync(Queue, leased[0].Id))!.State);
        Assert.Equal(leased[1].Id, Assert.Single(await FetchAsync()).Id);
    }

    [Fact]
    public async Task Reading_and_listing_malformed_hashes_does_not_throw()
    {
        await Store.EnqueueManyAsync([Job(maxRetries: 0), Job(maxRetries: 0)]);
        var leased = await FetchAsync();
        await Store.CompleteAsync([Completion(leased[0], CompletionKind.DeadLetter, "e"), Completion(leased[1], CompletionKind.DeadLetter, "e")]);
        var bad = leased[0].Id;
        await Db.HashSetAsync(JobKey(bad), [new("state", "weird"), new("progress", "abc"), new("prio", "x"), new("enq", "abc"), new("attempt", "-3")]);
        await Db.SortedSetAddAsync(Key("dead"), "not a job id!", 0);

        var info = await Store.GetJobAsync(Queue, bad);
        var letters = await Store.ListDeadLettersAsync(Queue, 0, 10);

        Assert.Equal(JobState.Pending, info!.State);
        Assert.Equal("e", info.LastError);
        Assert.Null(info.Progress);
        Assert.Equal(Priority.Normal, info.Priority);
        Assert.Equal(0, info.Attempt);
        Assert.Equal(2, letters.Count);
        Assert.Contains(letters, l => l.Id == leased[1].Id);
        Assert.Equal(JobState.Dead, letters.Single(l => l.Id == bad).State);
    }

    /// <summary>Enqueues good, bad, good, good (one priority, in that order) and returns the good ids and the bad one.</summary>
    private async Task<(List<JobId> Good, JobId Bad)> EnqueueAroundAsync()
    {
        var ids = new List<JobId>();
        for (var i = 0; i < 4; i++)
        {
            // Unique until finished, so 'uuf' and 'idem' are stored and can be corrupted.
            ids.Add((await Store.EnqueueAsync(Job() with { IdempotencyKey = $"key-{i}", UniqueUntilFinished = true })).Id);
        }

        var bad = ids[1];
        ids.RemoveAt(1);
        return (ids, bad);
    }

    private async Task AssertOnlyGoodJobsDeliveredAsync(List<JobId> good, JobId bad, string error)
    {
        // A batch of three holds the bad job; one the client parser rejects leaves its batch a job short.
        var leased = (await FetchAsync(max: 3, lease: ShortLease)).Concat(await FetchAsync(max: 3, lease: ShortLease)).ToList();

        Assert.Equal(good, leased.Select(j => j.Id).ToList());
        Assert.Empty(await FetchAsync());
        var info = await Store.GetJobAsync(Queue, bad);
        Assert.Equal(JobState.Dead, info!.State);
        Assert.Equal(error, info.LastError);
        Assert.Equal(bad, Assert.Single(await Store.ListDeadLettersAsync(Queue, 0, 10)).Id);
        var stats = await Store.GetQueueStatsAsync(Queue);
        Assert.Equal(3, stats.Active);
        Assert.Equal(1, stats.Dead);
        Assert.Equal(0, stats.Pending);

        // Recovery still works: the good jobs' leases expire and come back once each. (Leased by two fetch calls, their
        // deadlines may differ by a millisecond, so one recovery call may see only some of them.)
        var recovered = 0;
        Assert.True(await EventuallyAsync(async () => (recovered += await Store.RecoverExpiredLeasesAsync(Queue)) == 3));
        Assert.Equal(good.Order(), (await FetchAsync()).Select(j => j.Id).Order());
    }

    private RedisKey JobKey(JobId id) => Key("job:" + id.Value);
}
