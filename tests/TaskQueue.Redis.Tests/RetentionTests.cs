using StackExchange.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>Succeeded jobs are deleted by workers (complete and recover scripts) once their retention passed, not by a TTL.</summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class RetentionTests(RedisServerFixture server) : RedisStoreTestBase(server)
{
    private static readonly TimeSpan s_retention = TimeSpan.FromMilliseconds(800);

    /// <summary>The id of the job <see cref="RunToSuccessAsync"/> ran last.</summary>
    private JobId _lastId;

    protected override void ConfigureStore(RedisJobStoreOptions options) => options.ResultRetention = s_retention;

    [Fact]
    public async Task Succeeded_job_is_readable_within_its_retention_and_deleted_by_recover_after_it()
    {
        var finishedAt = await RunToSuccessAsync();

        Assert.Equal(0, await Store.RecoverExpiredLeasesAsync(Queue));
        Assert.True(await ServerNowAsync() < finishedAt + s_retention, "the test machine stalled past the retention");
        Assert.Equal(JobState.Succeeded, (await Store.GetJobAsync(Queue, _lastId))!.State);

        await WaitUntilServerTimeAsync(finishedAt + s_retention);
        await Store.RecoverExpiredLeasesAsync(Queue);

        Assert.Null(await Store.GetJobAsync(Queue, _lastId));
        Assert.Equal(0, await Db.ListLengthAsync(Key("succeeded")));
    }

    [Fact]
    public async Task Succeeded_job_is_deleted_by_a_later_completion_after_its_retention()
    {
        var finishedAt = await RunToSuccessAsync();
        var first = _lastId;
        await WaitUntilServerTimeAsync(finishedAt + s_retention);

        await RunToSuccessAsync();

        Assert.Null(await Store.GetJobAsync(Queue, first));
        Assert.Equal(JobState.Succeeded, (await Store.GetJobAsync(Queue, _lastId))!.State);
        Assert.EndsWith(":" + _lastId, Assert.Single(await Db.ListRangeAsync(Key("succeeded"))).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dead_and_retried_jobs_are_not_deleted_by_the_succeeded_trim()
    {
        await Store.EnqueueManyAsync([Job(maxRetries: 0), Job()]);
        var leased = await FetchAsync();
        await Store.CompleteAsync([Completion(leased[0], CompletionKind.DeadLetter, "e"), Completion(leased[1], CompletionKind.Retry, "e", TimeSpan.FromHours(1))]);
        var finishedAt = await RunToSuccessAsync();
        await WaitUntilServerTimeAsync(finishedAt + s_retention);

        await Store.RecoverExpiredLeasesAsync(Queue);

        Assert.Null(await Store.GetJobAsync(Queue, _lastId));
        Assert.Equal(JobState.Dead, (await Store.GetJobAsync(Queue, leased[0].Id))!.State);
        Assert.Equal(JobState.Scheduled, (await Store.GetJobAsync(Queue, leased[1].Id))!.State);
    }

    /// <summary>Enqueues, fetches and completes one job; returns its finishing instant.</summary>
    private async Task<DateTimeOffset> RunToSuccessAsync()
    {
        var job = Job();
        await Store.EnqueueAsync(job);
        var leased = Assert.Single(await FetchAsync());
        Assert.Empty(await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded)]));
        _lastId = job.Id;
        return (await Store.GetJobAsync(Queue, job.Id))!.FinishedAt!.Value;
    }

    private async Task<DateTimeOffset> ServerNowAsync()
    {
        var time = (RedisResult[])(await Db.ExecuteAsync("TIME"))!;
        return DateTimeOffset.FromUnixTimeMilliseconds(((long)time[0] * 1000) + ((long)time[1] / 1000));
    }

    /// <summary>Polls the server's clock (the one the scripts use) until it is past <paramref name="instant"/>.</summary>
    private async Task WaitUntilServerTimeAsync(DateTimeOffset instant)
        => Assert.True(await EventuallyAsync(async () => await ServerNowAsync() > instant));
}
