using System.Globalization;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.Replication;

/// <summary>
/// The enqueue durability mode (<see cref="RedisJobStoreOptions.EnqueueReplicas"/>) on a real primary with a real
/// replica (<c>--replicaof</c>): an enqueue returns only once the replica has it, and says so when it does not.
/// </summary>
public sealed class EnqueueReplicasTests : IAsyncLifetime
{
    /// <summary>For calls that must be confirmed: generous, as a replica on a loaded 2-core machine acknowledges late.</summary>
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(3);

    /// <summary>For calls that must not be confirmed: how long they wait before failing.</summary>
    private static readonly TimeSpan RefuseTimeout = TimeSpan.FromMilliseconds(300);

    private RedisServerProcess _primary = null!;
    private RedisServerProcess _replica = null!;

    public async Task InitializeAsync()
    {
        _primary = await RedisServerProcess.StartAsync(["--repl-diskless-sync-delay", "0"]);
        _replica = await RedisServerProcess.StartAsync(["--replicaof", "127.0.0.1", _primary.Port.ToString(CultureInfo.InvariantCulture)]);
        await Eventually.TrueAsync(
            async () => (await RedisCluster.CommandAsync(_primary, "info", "replication")).Contains("state=online", StringComparison.Ordinal),
            "the replica to be in sync");
    }

    public async Task DisposeAsync()
    {
        await _replica.DisposeAsync();
        await _primary.DisposeAsync();
    }

    [Fact]
    public async Task Enqueue_returns_once_the_replica_has_the_job()
    {
        await using var store = await ConnectAsync(_primary, replicas: 1);
        var job = TestJobs.New();

        var result = await store.EnqueueAsync(job);

        Assert.True(result.Created);
        // Read on the replica right after the call returned: no waiting, the replica confirmed it already.
        var onReplica = await RedisCluster.CommandAsync(_replica, "exists", $"{{{store.KeyPrefix}:{job.Queue}}}:job:{job.Id}");
        Assert.Equal("1", onReplica);
    }

    [Fact]
    public async Task Bulk_enqueue_waits_once_per_batch_and_every_job_reaches_the_replica()
    {
        await using var store = await ConnectAsync(_primary, replicas: 1);
        var jobs = Enumerable.Range(0, 1200).Select(_ => TestJobs.New()).ToList();

        await store.EnqueueManyAsync(jobs);

        var onReplica = await RedisCluster.CommandAsync(_replica, "llen", $"{{{store.KeyPrefix}:{TestJobs.Queue}}}:ready:normal");
        Assert.Equal("1200", onReplica);
    }

    [Fact]
    public async Task Enqueue_the_replica_does_not_confirm_fails_saying_the_job_is_on_the_primary_only_and_a_retry_is_safe()
    {
        await using var store = await ConnectAsync(_primary, replicas: 1, RefuseTimeout);
        var job = TestJobs.New();

        _replica.Suspend();
        RedisJobStoreException ex;
        try
        {
            ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.EnqueueAsync(job).AsTask());
        }
        finally
        {
            _replica.Resume();
        }

        Assert.Contains($"job '{job.Name}' (id {job.Id}) was stored in queue '{job.Queue}' on the primary, but not confirmed by its replicas", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0 of 1 replica(s) confirmed it within 300 ms", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Enqueueing the same NewJob again (same id) is safe", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing was stored", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsConnectionFailure);
        Assert.Equal(JobState.Pending, (await store.GetJobAsync(job.Queue, job.Id))?.State);

        // The retry the message suggests: the same job is not stored twice, and this time the replica confirms it.
        EnqueueResult? retry = null;
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    retry = await store.EnqueueAsync(job);
                    return true;
                }
                catch (RedisJobStoreException)
                {
                    return false; // The resumed replica may still be catching up.
                }
            },
            "the retried enqueue to be confirmed");
        Assert.False(retry!.Value.Created);
        Assert.Equal(1, (await store.GetQueueStatsAsync(job.Queue)).Pending);
    }

    [Fact]
    public async Task Enqueue_on_a_primary_without_replicas_fails_clearly()
    {
        await using var standalone = await RedisServerProcess.StartAsync([]);
        await using var store = await ConnectAsync(standalone, replicas: 1, RefuseTimeout);

        var ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.EnqueueAsync(TestJobs.New()).AsTask());

        Assert.Contains("0 of 1 replica(s) confirmed it", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 300, "RedisJobStoreOptions.EnqueueReplicas must be 0 to 16, but was -1.")]
    [InlineData(17, 300, "RedisJobStoreOptions.EnqueueReplicas must be 0 to 16, but was 17.")]
    [InlineData(1, 0, "RedisJobStoreOptions.EnqueueReplicaTimeout must be above zero and at most 1 minute, but was 00:00:00.")]
    [InlineData(1, 5000, "RedisJobStoreOptions.EnqueueReplicaTimeout (5000 ms) must be shorter than the connection's asyncTimeout (5000 ms).")]
    public void Invalid_durability_settings_are_rejected_naming_the_setting(int replicas, int timeoutMs, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => RedisJobStore.Connect(new RedisJobStoreOptions
        {
            ConnectionString = _primary.EndPoint,
            EnqueueReplicas = replicas,
            EnqueueReplicaTimeout = TimeSpan.FromMilliseconds(timeoutMs),
        }));

        Assert.Equal(message, ex.Message);
    }

    private static async Task<RedisJobStore> ConnectAsync(RedisServerProcess server, int replicas, TimeSpan? replicaTimeout = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await RedisJobStore.ConnectAsync(
            new RedisJobStoreOptions
            {
                ConnectionString = server.EndPoint,
                KeyPrefix = RedisServerFixture.NewKeyPrefix(),
                EnqueueReplicas = replicas,
                EnqueueReplicaTimeout = replicaTimeout ?? ConfirmTimeout,
            },
            timeout.Token);
    }
}
