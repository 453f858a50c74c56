using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskQueue.Client;
using TaskQueue.Hosting;
using TaskQueue.Redis;
using TaskQueue.Storage;
using TaskQueue.Testing;
using Xunit.Abstractions;

namespace TaskQueue.IntegrationTests;

/// <summary>
/// Two worker processes that know different jobs serve one Redis queue, as two versions of an app do during a
/// rolling deploy: the sample worker (a separate process) knows <c>Sleep</c>, this test process knows <c>Record</c>.
/// Each must run only its own jobs; the other's are handed back, not dead-lettered.
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class RollingDeployTests(RedisServerFixture redis, ITestOutputHelper output) : IDisposable
{
    private const string Queue = DrillJob.Queue;
    private const int JobsPerKind = 10;

    private readonly string _connection = $"{redis.ConnectionString},keyPrefix={RedisServerFixture.NewKeyPrefix()}";
    private readonly string _markers = Directory.CreateTempSubdirectory("tq-deploy-").FullName;

    [Fact]
    public async Task Two_worker_processes_that_know_different_jobs_on_one_queue_each_run_only_their_own()
    {
        using var sampleWorker = await WorkerProcess.StartAsync(_connection, Queue);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddTaskQueue(o =>
        {
            o.UseRedis(_connection);
            o.Worker.Queues = [Queue];
            o.Worker.PollInterval = TimeSpan.FromMilliseconds(200);
        });
        builder.Services.AddTaskQueueIntegrationTestsJobs();
        builder.Services.AddSingleton<GreetingFormatter>();
        using var host = builder.Build();
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IJobStore>();
        var client = host.Services.GetRequiredService<IJobClient>();
        await ((IJobStoreStartup)store).WaitUntilAvailableAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        var tag = $"deploy-{Guid.NewGuid():N}";
        var sleeps = new List<JobId>();
        var records = new List<JobId>();
        for (var i = 0; i < JobsPerKind; i++)
        {
            sleeps.Add(await client.EnqueueAsync(DrillJob.Sleep, DrillJob.Payload(_markers, milliseconds: 1)));
            records.Add(await Jobs.Record.EnqueueAsync(client, tag, i, new JobOptions { Queue = Queue }));
        }

        try
        {
            await Eventually.TrueAsync(
                async () => await AllSucceededAsync(store, sleeps) && await AllSucceededAsync(store, records),
                "every job to succeed on the worker that knows it",
                TimeSpan.FromSeconds(90));
        }
        finally
        {
            output.WriteLine(sampleWorker.Output);
            output.WriteLine($"deferred today: {(await store.GetQueueStatsAsync(Queue)).DeferredToday}");
        }

        await host.StopAsync();

        // Sleep ran in the sample worker's process only, once per job; Record ran here only, once per job.
        var done = DrillJob.Lines(_markers).Where(f => f.StartsWith("done ", StringComparison.Ordinal)).ToList();
        Assert.Equal(JobsPerKind, done.Count);
        Assert.All(done, f => Assert.EndsWith($"pid {sampleWorker.Id}", f));
        Assert.Equal(JobsPerKind, HostingJobs.Seen.Count(s => s.StartsWith(tag + ":", StringComparison.Ordinal)));
        var stats = await store.GetQueueStatsAsync(Queue);
        Assert.Equal(0, stats.Dead);
        foreach (var id in sleeps.Concat(records))
        {
            Assert.Equal(1, (await store.GetJobAsync(Queue, id))!.Attempt);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_markers, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private static async Task<bool> AllSucceededAsync(IJobStore store, List<JobId> ids)
    {
        foreach (var id in ids)
        {
            if ((await store.GetJobAsync(Queue, id))?.State != JobState.Succeeded)
            {
                return false;
            }
        }

        return true;
    }
}
