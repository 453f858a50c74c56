using System.Text;
using TaskQueue.Client;
using TaskQueue.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit.Abstractions;

namespace TaskQueue.IntegrationTests;

/// <summary>Faults against real processes: a worker killed with SIGKILL, and its Redis connections killed.</summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class WorkerProcessFaultTests(RedisServerFixture redis, ITestOutputHelper output) : IDisposable
{
    private const string Queue = DrillJob.Queue;
    private static readonly JobDefinition Sleep = DrillJob.Sleep;

    private readonly string _connection = $"{redis.ConnectionString},keyPrefix={RedisServerFixture.NewKeyPrefix()}";
    private readonly string _directory = Directory.CreateTempSubdirectory("tq-faults-").FullName;

    [Fact]
    public async Task Job_of_a_killed_worker_completes_exactly_once_on_a_second_worker_after_its_lease_expires()
    {
        using var store = await RedisJobStore.ConnectAsync(_connection);
        var client = new JobClient(store);
        var marker = Path.Combine(_directory, "sleep");
        var id = await client.EnqueueAsync(Sleep, Payload(marker, milliseconds: 3000));

        int firstPid;
        using (var first = await WorkerProcess.StartAsync(_connection, Queue))
        {
            firstPid = first.Id;
            await Eventually.TrueAsync(() => Task.FromResult(Lines(marker).Any(l => l.StartsWith($"start {id} attempt 1", StringComparison.Ordinal))), "first attempt started", TimeSpan.FromSeconds(20));
            first.KillHard();
            output.WriteLine(first.Output);
        }

        using var second = await WorkerProcess.StartAsync(_connection, Queue);
        try
        {
            await Eventually.TrueAsync(async () => (await store.GetJobAsync(Queue, id))?.State == JobState.Succeeded, "job succeeded on the second worker", TimeSpan.FromSeconds(30));
        }
        finally
        {
            output.WriteLine(second.Output);
        }


        // Give a wrongly duplicated run time to show itself before counting.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        output.WriteLine(string.Join('\n', Lines(marker)));
        var done = Lines(marker).Where(l => l.StartsWith("done ", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"done {id} attempt 2 pid {second.Id}"], done);
        Assert.Contains($"start {id} attempt 1 pid {firstPid}", Lines(marker));
        var info = await store.GetJobAsync(Queue, id);
        Assert.Equal(2, info!.Attempt);
    }

    [Fact]
    public async Task Worker_resumes_after_its_redis_connections_are_killed()
    {
        using var store = await RedisJobStore.ConnectAsync(_connection);
        var client = new JobClient(store);
        var marker = Path.Combine(_directory, "resume");
        using var worker = await WorkerProcess.StartAsync(_connection, Queue);

        var before = new List<JobId>();
        for (var i = 0; i < 10; i++)
        {
            before.Add(await client.EnqueueAsync(Sleep, Payload(marker, milliseconds: 10)));
        }

        await Eventually.TrueAsync(() => Task.FromResult(Done(marker).Count >= 10), "first 10 jobs done", TimeSpan.FromSeconds(20));

        // Drops every client connection: the worker's commands and its pub/sub subscription, and ours.
        await redis.ExecuteAsync("CLIENT", "KILL", "TYPE", "normal");
        await redis.ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");

        var after = new List<JobId>();
        for (var i = 0; i < 10; i++)
        {
            after.Add(await EnqueueWithRetryAsync(store, Payload(marker, milliseconds: 10)));
        }

        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(Done(marker).Count >= 20), "all 20 jobs done after the connections were killed", TimeSpan.FromSeconds(30));
            await Task.Delay(500); // room for a wrongly duplicated run to show itself
        }
        finally
        {
            output.WriteLine(worker.Output);
        }

        Assert.False(worker.HasExited, worker.Output);
        var done = Done(marker);
        Assert.Equal(20, done.Count);
        Assert.Equal(done.Count, done.Distinct().Count());
        Assert.All(before.Concat(after), id => Assert.Contains(done, line => line.StartsWith($"done {id} ", StringComparison.Ordinal)));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private static ReadOnlyMemory<byte> Payload(string marker, int milliseconds) => DrillJob.Payload(marker, milliseconds);

    // The test's own connection was killed too: an enqueue may fail while it reconnects, possibly after Redis stored
    // the job. Re-sending the same NewJob (same id) is the documented safe retry: it is never stored twice.
    private static async Task<JobId> EnqueueWithRetryAsync(IJobStore store, ReadOnlyMemory<byte> payload)
    {
        var job = new NewJob { Id = JobId.New(), Name = Sleep.Name, Queue = Queue, Priority = Sleep.Priority, Payload = payload, MaxRetries = Sleep.MaxRetries };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await store.EnqueueAsync(job)).Id;
            }
            catch (RedisJobStoreException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    // The drill job records every event as an empty file named "start|done ID attempt N pid P" in the marker folder.
    private static List<string> Lines(string folder) => DrillJob.Lines(folder);

    private static List<string> Done(string path) => [.. Lines(path).Where(l => l.StartsWith("done ", StringComparison.Ordinal))];
}
