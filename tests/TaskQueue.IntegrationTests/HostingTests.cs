using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskQueue.Client;
using TaskQueue.Hosting;
using TaskQueue.Storage;

namespace TaskQueue.IntegrationTests;

[Collection(DefaultClientCollection.Name)]
public sealed class HostingTests
{
    [Fact]
    public async Task Generated_proxies_enqueue_through_AddTaskQueue_and_the_hosted_worker_runs_static_and_instance_jobs()
    {
        HostingJobs.Seen.Clear();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddTaskQueue(o =>
        {
            o.Worker.Queues = ["hosting"];
            o.Worker.PollInterval = TimeSpan.FromMilliseconds(50);
        });
        builder.Services.AddTaskQueueIntegrationTestsJobs();
        builder.Services.AddSingleton<GreetingFormatter>();
        using var host = builder.Build();
        await host.StartAsync();

        var recorded = await Jobs.Record.EnqueueAsync("apples", 3);
        var greeted = await Jobs.Greet.EnqueueAsync("ada");

        var store = host.Services.GetRequiredService<IJobStore>();
        var greetInfo = await WaitForStateAsync(store, "hosting", greeted, JobState.Succeeded);
        await WaitForStateAsync(store, "hosting", recorded, JobState.Succeeded);
        await host.StopAsync();

        Assert.Contains("apples:3", HostingJobs.Seen);
        Assert.Contains("hello ada (attempt 1)", HostingJobs.Seen);
        Assert.Equal("\"hello ada (attempt 1)\"", Encoding.UTF8.GetString(greetInfo.Result!.Value.Span));
    }

    [Fact]
    public void Options_are_bound_from_the_TaskQueue_configuration_section_and_code_wins()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TaskQueue:RunWorker"] = "false",
            ["TaskQueue:Worker:Concurrency"] = "7",
            ["TaskQueue:Worker:Queues:0"] = "emails",
            ["TaskQueue:Worker:Queues:1"] = "reports",
            ["TaskQueue:Worker:ShutdownDrainTime"] = "00:00:40",
            ["TaskQueue:Client:DefaultIdempotencyTtl"] = "02:00:00",
        });
        builder.Services.AddTaskQueue(o => o.Worker.FetchBatchSize = 5);
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<TaskQueueOptions>>().Value;
        Assert.False(options.RunWorker);
        Assert.Equal(7, options.Worker.Concurrency);
        Assert.Equal(["emails", "reports"], options.Worker.Queues);
        Assert.Equal(5, options.Worker.FetchBatchSize);
        Assert.Equal(TimeSpan.FromHours(2), options.Client.DefaultIdempotencyTtl);

        // The host waits longer than the worker drains.
        Assert.True(host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout >= TimeSpan.FromSeconds(45));
    }

    [Fact]
    public void Invalid_worker_options_fail_the_host_build_with_a_message_naming_the_setting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddTaskQueue(o => o.Worker.Concurrency = 0);

        // Fails when the host is built, not later when the first job would run.
        var error = Assert.Throws<ArgumentException>(() => builder.Build());
        Assert.Contains("WorkerOptions.Concurrency must be positive, but was 0", error.Message);
    }

    private static async Task<JobInfo> WaitForStateAsync(IJobStore store, string queue, JobId id, JobState state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JobInfo? info = null;
        while (DateTime.UtcNow < deadline)
        {
            info = await store.GetJobAsync(queue, id);
            if (info?.State == state)
            {
                return info;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"job {id} is {info?.State.ToString() ?? "missing"}, not {state}; last error: {info?.LastError}");
    }
}

/// <summary>Tests that set the process-wide <see cref="JobClient.Default"/> must not run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultClientCollection
{
    public const string Name = "JobClient.Default";
}
