using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskQueue.Client;
using TaskQueue.Hosting;
using TaskQueue.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit.Abstractions;

namespace TaskQueue.IntegrationTests;

/// <summary>
/// A rolling deploy on one Redis queue: the old version (the sample worker, a separate process) knows <c>Sleep</c>, the
/// new version (a host in this test process) knows <c>Record</c>; for a while both run. Each job must run once, on the
/// version that knows it; the other's are handed back, never dead-lettered. (While both run, which one gets a job that
/// falls due is a race, so the test lets the deploy finish, as a real one does: ADR 0003.)
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class RollingDeployTests(RedisServerFixture redis, ITestOutputHelper output) : IDisposable
{
    private const string Queue = DrillJob.Queue;
    private const int JobsPerKind = 10;

    private readonly string _connection = $"{redis.ConnectionString},keyPrefix={RedisServerFixture.NewKeyPrefix()}";
    private readonly string _markers = Directory.CreateTempSubdirectory("tq-deploy-").FullName;

    [Fact]
    public async Task Rolling_deploy_runs_every_job_once_on_the_worker_process_that_knows_it()
    {
        // The old version (the sample worker process) runs; the new version's code already enqueues Record.
        using var oldVersion = await WorkerProcess.StartAsync(_connection, Queue);
        await using var producerStore = await RedisJobStore.ConnectAsync(_connection, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        var producer = new JobClient(producerStore);
        var tag = $"deploy-{Guid.NewGuid():N}";
        var sleeps = new List<JobId>();
        var records = new List<JobId>();
        for (var i = 0; i < JobsPerKind; i++)
        {
            sleeps.Add(await producer.EnqueueAsync(DrillJob.Sleep, DrillJob.Payload(_markers, milliseconds: 1)));
            records.Add(await Jobs.Record.EnqueueAsync(producer, tag, i, new JobOptions { Queue = Queue }));
        }

        // The old version runs its own jobs and hands the new ones back instead of dead-lettering them.
        await Eventually.TrueAsync(
            async () => await AllAsync(producerStore, sleeps, j => j.State == JobState.Succeeded) && await AllAsync(producerStore, records, j => j.Deferrals > 0 && j.State != JobState.Dead),
            "the old version to run every Sleep and hand every Record back",
            TimeSpan.FromSeconds(30));

        // The new version starts beside it (two processes that know different jobs on one queue), then the old one stops.
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddTaskQueue(o =>
        {
            o.UseRedis(_connection);
            o.Worker.Queues = [Queue];
            o.Worker.PollInterval = TimeSpan.FromMilliseconds(200);
        });
        builder.Services.AddTaskQueueIntegrationTestsJobs();
        builder.Services.AddSingleton<GreetingFormatter>();
        using var newVersion = builder.Build();
        await newVersion.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        oldVersion.StopGracefully();

        try
        {
            await Eventually.TrueAsync(
                () => AllAsync(producerStore, records, j => j.State == JobState.Succeeded),
                "the new version to run every Record",
                TimeSpan.FromSeconds(90));
        }
        finally
        {
            output.WriteLine(oldVersion.Output);
            output.WriteLine($"deferred today: {(await producerStore.GetQueueStatsAsync(Queue)).DeferredToday}");
        }

        await newVersion.StopAsync();

        // Sleep ran in the old version's process only, once per job; Record ran in this process only, once per job.
        var done = DrillJob.Lines(_markers).Where(f => f.StartsWith("done ", StringComparison.Ordinal)).ToList();
        Assert.Equal(JobsPerKind, done.Count);
        Assert.All(done, f => Assert.EndsWith($"pid {oldVersion.Id}", f));
        Assert.Equal(JobsPerKind, HostingJobs.Seen.Count(s => s.StartsWith(tag + ":", StringComparison.Ordinal)));
        var stats = await producerStore.GetQueueStatsAsync(Queue);
        Assert.Equal(0, stats.Dead);
        Assert.True(stats.DeferredToday >= JobsPerKind, $"{stats.DeferredToday} hand-backs");
        foreach (var id in sleeps.Concat(records))
        {
            Assert.Equal(1, (await producerStore.GetJobAsync(Queue, id))!.Attempt);
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

    private static async Task<bool> AllAsync(IJobStore store, List<JobId> ids, Func<JobInfo, bool> condition)
    {
        foreach (var id in ids)
        {
            if (await store.GetJobAsync(Queue, id) is not { } job || !condition(job))
            {
                return false;
            }
        }

        return true;
    }
}
