using System.Collections.Concurrent;
using System.Text;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>Restarts, stops and drops the connections of a real redis-server (appendonly yes) of its own.</summary>
[Collection(AppendOnlyRedisServerFixture.CollectionName)]
public sealed class FaultTests(AppendOnlyRedisServerFixture server) : RedisStoreTestBase(server)
{
    [Fact]
    public async Task Jobs_acknowledged_before_a_redis_restart_are_all_fetched_after_it()
    {
        var jobs = Enumerable.Range(0, 200).Select(i => Job(payload: i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var results = await Store.EnqueueManyAsync(jobs);
        Assert.All(results, r => Assert.True(r.Created));
        var single = Job(priority: Priority.Critical);
        await Store.EnqueueAsync(single);

        await Server.RestartAsync();

        var fetched = new List<LeasedJob>();
        Assert.True(await EventuallyAsync(async () =>
        {
            try
            {
                fetched.AddRange(await FetchAsync(max: 500));
                return fetched.Count >= 201;
            }
            catch (RedisJobStoreException)
            {
                return false; // Still reconnecting.
            }
        }));
        Assert.Equal([single.Id, .. jobs.Select(j => j.Id)], fetched.Select(j => j.Id));
    }

    [Fact]
    public async Task Store_works_again_after_its_connections_are_killed()
    {
        var cancelled = new ConcurrentQueue<JobId>();
        await using var subscription = await Store.SubscribeToCancellationsAsync(cancelled.Enqueue);
        await Store.EnqueueAsync(Job(payload: "before"));

        await Server.ExecuteAsync("CLIENT", "KILL", "TYPE", "normal");
        await Server.ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");

        var after = Job(payload: "after");
        Assert.True(await EventuallyAsync(async () =>
        {
            try
            {
                await Store.EnqueueAsync(after);
                return true;
            }
            catch (RedisJobStoreException)
            {
                return false;
            }
        }));
        var leased = await FetchAsync();
        Assert.Equal(["before", "after"], leased.Select(j => Encoding.UTF8.GetString(j.Payload.Span)));

        // The cancellation subscription was re-established by the reconnect.
        Assert.True(await EventuallyAsync(async () =>
        {
            if (await Store.GetJobAsync(Queue, leased[0].Id) is { State: JobState.Active })
            {
                await Store.CancelAsync(Queue, leased[0].Id);
            }

            return cancelled.Contains(leased[0].Id);
        }));
    }

    [Fact]
    public async Task Idle_waiter_finds_work_whose_signal_was_published_while_its_subscription_was_down()
    {
        await using var producer = await CreateStoreAsync();
        var channel = $"{Prefix}:signal:work";
        var idle = IdleWorkerAsync();

        // Let the worker subscribe, look at the empty queue and fall asleep on its 30 s poll.
        Assert.True(await EventuallyAsync(async () => await SubscribersAsync(channel) == 1), "the worker never subscribed");
        await Task.Delay(200);
        Assert.False(idle.IsCompleted);

        // Keep the subscription down (its reconnect is refused: no client slot left) while the job is enqueued.
        var maxClients = (string)(await Server.ExecuteAsync("CONFIG", "GET", "maxclients"))[1]!;
        var job = Job(name: "DuringResubscribe");
        try
        {
            var subscribers = ((string)(await Server.ExecuteAsync("CLIENT", "LIST", "TYPE", "pubsub"))!).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            await Server.ExecuteAsync("CONFIG", "SET", "maxclients", (await ConnectedClientsAsync()) - subscribers);
            await Server.ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
            await producer.EnqueueAsync(job);

            // The enqueue's signal reached no one: the ready list stays non-empty, so no later enqueue signals again.
            Assert.Equal(0, await SubscribersAsync(channel));
        }
        finally
        {
            await Server.ExecuteAsync("CONFIG", "SET", "maxclients", maxClients);
        }

        var finished = await Task.WhenAny(idle, Task.Delay(TimeSpan.FromSeconds(5)));
        Assert.True(finished == idle, "the idle worker slept through the resubscribe while a job waited");
        Assert.Equal(job.Id, (await idle).Id);
    }

    [Fact]
    public async Task Enqueue_while_redis_is_down_throws_a_clear_exception_and_stores_nothing()
    {
        await Store.EnqueueAsync(Job(name: "Acknowledged"));
        Server.Stop();
        try
        {
            // "While Redis is down" as the client knows it: a command already on the wire when the socket dropped has
            // an unknown outcome (that case says so), which is not what this test is about.
            Assert.True(await EventuallyAsync(() => Task.FromResult(!Store.IsAvailable)), "the store never noticed the outage");
            var lost = Job(name: "DuringOutage");
            var ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => Store.EnqueueAsync(lost).AsTask());
            Assert.Contains("DuringOutage", ex.Message, StringComparison.Ordinal);
            Assert.Contains(lost.Id.Value, ex.Message, StringComparison.Ordinal);
            Assert.Contains($"queue '{Queue}'", ex.Message, StringComparison.Ordinal);
            Assert.True(ex.IsConnectionFailure);
            Assert.Contains("Nothing was stored", ex.Message, StringComparison.Ordinal);

            var many = await Assert.ThrowsAsync<RedisJobStoreException>(() => Store.EnqueueManyAsync([Job(), Job()]).AsTask());
            Assert.Contains("2 jobs", many.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<RedisJobStoreException>(() => FetchAsync().AsTask());
        }
        finally
        {
            await Server.StartAsync();
        }

        IReadOnlyList<LeasedJob> leased = [];
        Assert.True(await EventuallyAsync(async () =>
        {
            try
            {
                leased = await FetchAsync();
                return true;
            }
            catch (RedisJobStoreException)
            {
                return false;
            }
        }));
        Assert.Equal("Acknowledged", Assert.Single(leased).Name);
    }

    /// <summary>A worker's idle loop: wait for a signal (30 s poll), fetch; a few rounds, 20 s at most.</summary>
    private async Task<LeasedJob> IdleWorkerAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        for (var round = 0; round < 20 && DateTime.UtcNow < deadline; round++)
        {
            try
            {
                await Store.WaitForWorkAsync([Queue], TimeSpan.FromSeconds(30));
                if ((await FetchAsync(max: 1)) is [var leased])
                {
                    return leased;
                }
            }
            catch (RedisJobStoreException)
            {
                await Task.Delay(50); // Reconnecting.
            }
        }

        throw new TimeoutException("no job fetched");
    }

    private async Task<long> ConnectedClientsAsync()
    {
        var info = (string)(await Server.ExecuteAsync("INFO", "clients"))!;
        var line = info.Split('\n').Single(l => l.StartsWith("connected_clients:", StringComparison.Ordinal));
        return long.Parse(line["connected_clients:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<long> SubscribersAsync(string channel)
    {
        var reply = (StackExchange.Redis.RedisResult[])(await Server.ExecuteAsync("PUBSUB", "NUMSUB", channel))!;
        return (long)reply[1];
    }
}
