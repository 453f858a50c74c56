using StackExchange.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>Two applications with different key prefixes on one Redis: A's calls never see or change B's jobs.</summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class KeyPrefixIsolationTests(RedisServerFixture server) : RedisStoreTestBase(server)
{
    private const string OnlyB = "only-b";
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task Two_apps_with_different_key_prefixes_never_see_or_touch_each_others_jobs()
    {
        var prefixB = RedisServerFixture.NewKeyPrefix();
        await using var b = await CreateStoreAsync(o => o.KeyPrefix = prefixB);
        var a = Store;

        // B: a ready job, an expired lease, a dead letter, a scheduled job, a running job, a worker, and a queue A never uses.
        await b.EnqueueAsync(Job(maxRetries: 0));
        var bLeased = Assert.Single(await b.FetchAsync(new FetchRequest(Queue, 1, ShortLease, "worker-b")));
        await b.EnqueueAsync(Job(maxRetries: 0));
        var bDying = Assert.Single(await b.FetchAsync(new FetchRequest(Queue, 1, TimeSpan.FromMinutes(5), "worker-b")));
        Assert.Empty(await b.CompleteAsync([Completion(bDying, CompletionKind.DeadLetter, "b failed")]));
        var shared = Job(payload: """{"app":"b"}""");
        Assert.True((await b.EnqueueAsync(shared)).Created);
        var bScheduled = Job() with { Delay = TimeSpan.FromMinutes(10) };
        await b.EnqueueAsync(bScheduled);
        await b.EnqueueAsync(Job(queue: OnlyB));
        var bRunning = Assert.Single(await b.FetchAsync(new FetchRequest(OnlyB, 1, TimeSpan.FromMinutes(5), "worker-b")));
        await b.EnqueueAsync(Job(queue: OnlyB));
        await b.HeartbeatWorkerAsync(Worker("worker-b"), TimeSpan.FromMinutes(1));
        await Task.Delay(ShortLease * 3);
        var bStatsBefore = await b.GetQueueStatsAsync(Queue);
        var bKeysBefore = await SnapshotAsync(prefixB);

        // A: the same queue name and even the same job id, then every operation that could reach across.
        var cancelledOnA = new List<JobId>();
        await using var subscription = await a.SubscribeToCancellationsAsync(id => { lock (cancelledOnA) { cancelledOnA.Add(id); } });
        Assert.True((await a.EnqueueAsync(shared with { Payload = """{"app":"a"}"""u8.ToArray() })).Created);
        var aLeased = Assert.Single(await a.FetchAsync(new FetchRequest(Queue, 100, TimeSpan.FromMinutes(5), "worker-a")));
        Assert.Equal("""{"app":"a"}""", TestJobs.Text(aLeased.Payload));
        Assert.Empty(await a.FetchAsync(new FetchRequest(OnlyB, 100, TimeSpan.FromMinutes(5), "worker-a")));

        var aStats = await a.GetQueueStatsAsync(Queue);
        Assert.Equal((0L, 1L, 0L, 0L), (aStats.Pending, aStats.Active, aStats.Scheduled, aStats.Dead));
        Assert.Empty(await a.ListDeadLettersAsync(Queue, 0, 100));
        Assert.DoesNotContain(OnlyB, await a.ListQueueNamesAsync());
        Assert.Empty(await a.ListWorkersAsync());
        Assert.Null(await a.GetJobAsync(Queue, bScheduled.Id));
        Assert.Null(await a.GetJobAsync(OnlyB, bRunning.Id));

        Assert.Equal(0, await a.RecoverExpiredLeasesAsync(Queue, lease => throw new InvalidOperationException($"A recovered B's job {lease.Lease.Id}")));
        Assert.False(await a.CancelAsync(Queue, bScheduled.Id));
        Assert.False(await a.CancelAsync(OnlyB, bRunning.Id));
        Assert.False(await a.RequeueDeadLetterAsync(Queue, bDying.Id));
        Assert.False(await a.DeleteDeadLetterAsync(Queue, bDying.Id));
        Assert.Equal(0, await a.RequeueAllDeadLettersAsync(Queue));
        Assert.Equal(0, await a.TrimDeadLettersAsync(Queue, 0, TimeSpan.FromMilliseconds(1)));
        Assert.NotEmpty(await a.ExtendLeasesAsync([bRunning.Lease], TimeSpan.FromMinutes(5)));
        Assert.False(await a.SetProgressAsync(OnlyB, bRunning.Id, bRunning.LeaseToken, 50));
        Assert.Equal(bRunning.Id, Assert.Single(await a.CompleteAsync([Completion(bRunning, CompletionKind.Succeeded)])).Lease.Id);
        await a.RemoveWorkerAsync("worker-b");
        await a.PauseAsync(OnlyB);
        await a.ResumeAsync(Queue);

        // Nothing of B's changed, byte for byte, and B still works on its own.
        Assert.Equal(bKeysBefore, await SnapshotAsync(prefixB));
        Assert.Equal(bStatsBefore, await b.GetQueueStatsAsync(Queue));
        Assert.Single(await b.ListWorkersAsync());
        Assert.Equal(shared.Id, Assert.Single(await b.FetchAsync(new FetchRequest(Queue, 100, TimeSpan.FromMinutes(5), "worker-b"))).Id);
        Assert.Single(await b.FetchAsync(new FetchRequest(OnlyB, 100, TimeSpan.FromMinutes(5), "worker-b")));
        Assert.Equal(1, await b.RecoverExpiredLeasesAsync(Queue, lease => new JobCompletion { Lease = lease.Lease, Kind = CompletionKind.DeadLetter, Error = "expired" }));
        Assert.Equal(bLeased.Id, (await b.ListDeadLettersAsync(Queue, 0, 10))[0].Id);

        // B's cancellation of its running job reaches B's subscribers only.
        Assert.True(await b.CancelAsync(OnlyB, bRunning.Id));
        await Task.Delay(300);
        lock (cancelledOnA)
        {
            Assert.Empty(cancelledOnA);
        }
    }

    private static WorkerInfo Worker(string id) => new()
    {
        Id = id,
        Host = "host",
        ProcessId = 1,
        Queues = [Queue, OnlyB],
        Concurrency = 1,
        StartedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>Every key of <paramref name="prefix"/> (names carrying it), with its serialized value.</summary>
    private async Task<SortedDictionary<string, string>> SnapshotAsync(string prefix)
    {
        var server = Server.Admin.GetServer(Server.Admin.GetEndPoints()[0]);
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(pattern: $"*{prefix}*", pageSize: 1000))
        {
            var dump = await Db.KeyDumpAsync(key);
            snapshot[key.ToString()] = dump is null ? "(gone)" : Convert.ToBase64String(dump);
        }

        Assert.InRange(snapshot.Count, 5, 1000);
        return snapshot;
    }
}
