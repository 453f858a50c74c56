using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Processing;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Tests.Processing;

/// <summary>What the worker makes of failures that are not plain exceptions: timeouts, unknown job names and crashed workers.</summary>
public sealed class WorkerFailureTests
{
    [Fact]
    public async Task Handler_that_ignores_its_token_keeps_its_slot_and_lease_until_it_returns_then_fails_as_timed_out()
    {
        await using var h = new WorkerHarness(o => { o.LeaseDuration = TimeSpan.FromSeconds(30); o.HeartbeatInterval = TimeSpan.FromSeconds(10); });
        var logs = new Telemetry.ScopeCapturingLoggerFactory();
        h.Logger = logs.CreateLogger<Worker>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = h.Registry.Add("stubborn", _ => { started.TrySetResult(); return release.Task; }, maxRetries: 0, timeout: TimeSpan.FromSeconds(5));
        h.Start();
        var id = await h.EnqueueAsync(job);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Far past the timeout and past the first lease deadline: the heartbeat keeps the lease, nothing recovers it.
        for (var i = 0; i < 8; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(20);
        }

        Assert.Equal(JobState.Active, (await h.JobAsync(id)).State);
        Assert.Equal(1, h.Worker!.RunningCount);
        Assert.Equal(0, await h.InnerStore.RecoverExpiredLeasesAsync(JobDefaults.Queue));

        release.SetResult();

        await h.UntilStateAsync(id, JobState.Dead);
        var error = (await h.JobAsync(id)).LastError;
        Assert.Contains("TimeoutException", error);
        Assert.Contains("'stubborn'", error);
        Assert.Equal(0, h.Worker.RunningCount);
        Assert.Single(logs.Entries, e => e.Message.Contains("timed out after 00:00:05", StringComparison.Ordinal));
        Assert.Single(logs.Entries, e => e.Message.Contains("returned 75000 ms after its timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Blocking_synchronous_job_past_its_timeout_never_runs_two_attempts_at_once()
    {
        await using var h = new WorkerHarness(o => { o.Concurrency = 4; o.FetchBatchSize = 4; });
        var running = 0;
        var maxRunning = 0;
        var attempts = new ConcurrentQueue<int>();
        using var unblock = new ManualResetEventSlim();
        var job = h.Registry.Add("blocking", ctx =>
        {
            // A synchronous job that ignores its token, as a `void` job that blocks would.
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            attempts.Enqueue(ctx.Attempt);
            if (ctx.Attempt == 1)
            {
                unblock.Wait(TimeSpan.FromSeconds(10));
            }

            Interlocked.Decrement(ref running);
            return Task.CompletedTask;
        }, maxRetries: 2, timeout: TimeSpan.FromSeconds(1), retry: new RetryPolicy(RetryStrategy.Fixed, TimeSpan.Zero, TimeSpan.Zero));
        h.Start();
        var id = await h.EnqueueAsync(job);
        await WorkerHarness.UntilAsync(() => Volatile.Read(ref running) == 1, "the first attempt to block");

        // Time out attempt 1 many times over while it blocks; with zero backoff a retry would start at once if it could.
        for (var i = 0; i < 5; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(30);
        }

        Assert.Equal([1], attempts);
        unblock.Set();

        await h.AdvanceUntilAsync(async () => (await h.JobAsync(id)).State == JobState.Succeeded, TimeSpan.FromMilliseconds(100), "the retry to succeed");
        Assert.Equal([1, 2], attempts);
        Assert.Equal(1, maxRunning);
    }

    [Fact]
    public async Task Shutdown_waits_for_a_timed_out_handler_that_is_still_running()
    {
        await using var h = new WorkerHarness(o => o.ShutdownDrainTime = TimeSpan.FromSeconds(30));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = h.Registry.Add("stubborn", _ => { started.TrySetResult(); return release.Task; }, maxRetries: 0, timeout: TimeSpan.FromSeconds(1));
        h.Start();
        var id = await h.EnqueueAsync(job);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        h.Time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(20);

        h.RequestStop();
        await Task.Delay(50);
        Assert.False(h.Running.IsCompleted, "shutdown returned while a timed-out handler still ran");

        release.SetResult();
        await h.Running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(JobState.Dead, (await h.JobAsync(id)).State);
    }

    [Fact]
    public async Task Job_with_an_unknown_name_is_handed_back_uncounted_then_dead_lettered_after_the_grace_time()
    {
        await using var h = new WorkerHarness(o => o.UnknownJobGraceTime = TimeSpan.FromSeconds(10));
        h.Registry.Add("known", _ => Task.CompletedTask);
        var id = JobId.New();
        await h.InnerStore.EnqueueAsync(new NewJob { Id = id, Name = "renamed-job", Queue = JobDefaults.Queue, Priority = Priority.Normal, Payload = "{}"u8.ToArray(), MaxRetries = 0 });
        h.Start();

        await WorkerHarness.UntilAsync(async () => (await h.JobAsync(id)).Deferrals == 1, "the first deferral");
        var deferred = await h.JobAsync(id);
        Assert.Equal(JobState.Scheduled, deferred.State);
        Assert.Equal(0, deferred.Attempt);
        Assert.Contains("UnknownJobException", deferred.LastError);
        Assert.Contains("'renamed-job'", deferred.LastError);
        Assert.Equal(1, (await h.InnerStore.GetQueueStatsAsync(JobDefaults.Queue)).DeferredToday);

        // 1 + 2 + 4 + 8 s of deferrals reach the 10 s grace time: the fifth offer dead-letters it.
        await h.AdvanceUntilAsync(async () => (await h.JobAsync(id)).State == JobState.Dead, TimeSpan.FromMilliseconds(500), "the job to be dead-lettered");
        var dead = await h.JobAsync(id);
        Assert.Equal(4, dead.Deferrals);
        Assert.Equal(1, dead.Attempt);
        Assert.Contains("UnknownJobException", dead.LastError);
    }

    [Fact]
    public async Task Rolling_deploy_runs_every_job_on_the_worker_version_that_knows_it()
    {
        // The old version knows "old-job"; new code already enqueues "new-job" before the new version's worker is up.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new InMemoryJobStore(time);
        var ranOn = new ConcurrentDictionary<JobId, string>();
        var (oldJob, stopOld) = StartWorker(store, time, "old", "old-job", ranOn);
        var newJob = new JobDefinition("new-job", JobDefaults.Queue, Priority.Normal, 3, null, RetryPolicy.Default, requiresScope: false);
        var client = new Client.JobClient(store);
        var oldIds = new List<JobId>();
        var newIds = new List<JobId>();
        for (var i = 0; i < 40; i++)
        {
            oldIds.Add(await client.EnqueueAsync(oldJob, "{}"u8.ToArray()));
            newIds.Add(await client.EnqueueAsync(newJob, "{}"u8.ToArray()));
        }

        await AdvanceUntilAsync(time, () => oldIds.All(ranOn.ContainsKey), "every old-job to run");
        await AdvanceUntilAsync(time, () => newIds.All(id => store.GetJobAsync(JobDefaults.Queue, id).Result!.Deferrals > 0), "every new-job to be handed back");

        // The new version starts, then the old one stops: the handed-back jobs run on the new one, none was lost or dead-lettered.
        var (_, stopNew) = StartWorker(store, time, "new", "new-job", ranOn);
        await stopOld();
        await AdvanceUntilAsync(time, () => newIds.All(ranOn.ContainsKey), "every new-job to run on the new version");
        await stopNew();

        Assert.All(oldIds, id => Assert.Equal("old", ranOn[id]));
        Assert.All(newIds, id => Assert.Equal("new", ranOn[id]));
        var stats = await store.GetQueueStatsAsync(JobDefaults.Queue);
        Assert.Equal(0, stats.Dead);
        Assert.Equal(80, stats.ProcessedToday);
        Assert.True(stats.DeferredToday >= 40, $"{stats.DeferredToday} deferrals counted");
        foreach (var id in newIds)
        {
            var info = (await store.GetJobAsync(JobDefaults.Queue, id))!;
            Assert.Equal(JobState.Succeeded, info.State);
            Assert.Equal(1, info.Attempt);
        }
    }

    [Fact]
    public async Task Job_of_a_crashed_worker_backs_off_like_any_failure()
    {
        var backoff = new RetryPolicy(RetryStrategy.Fixed, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
        await using var h = new WorkerHarness(o => { o.LeaseDuration = TimeSpan.FromSeconds(30); o.RecoveryInterval = TimeSpan.FromSeconds(15); });
        var attempts = new ConcurrentQueue<int>();
        var job = h.Registry.Add("survivor", (_, ctx) => { attempts.Enqueue(ctx.Attempt); return Task.FromResult<byte[]?>(null); }, retry: backoff);
        var id = await h.EnqueueAsync(job);
        Assert.Single(await h.InnerStore.FetchAsync(new FetchRequest(JobDefaults.Queue, 1, TimeSpan.FromSeconds(30), "crashed-worker")));
        h.Start();

        await h.AdvanceUntilAsync(async () => (await h.JobAsync(id)).LastError is not null, TimeSpan.FromSeconds(5), "the expired lease to be recovered");
        var recovered = await h.JobAsync(id);
        Assert.Equal(JobState.Scheduled, recovered.State);
        Assert.Contains("crashed-worker", recovered.LastError);
        Assert.InRange(recovered.DueAt!.Value - h.Time.GetUtcNow(), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.Empty(attempts);

        await h.AdvanceUntilAsync(async () => (await h.JobAsync(id)).State == JobState.Succeeded, TimeSpan.FromSeconds(30), "the recovered job to run after its backoff");
        Assert.Equal([2], attempts);
    }

    private static (JobDefinition Definition, Func<Task> Stop) StartWorker(InMemoryJobStore store, TimeProvider time, string workerName, string jobName, ConcurrentDictionary<JobId, string> ranOn)
    {
        var registry = new FakeJobRegistry();
        var definition = registry.Add(jobName, ctx => { ranOn.TryAdd(ctx.Id, workerName); return Task.CompletedTask; });
        var services = new ServiceCollection().BuildServiceProvider();
        var options = new WorkerOptions { Concurrency = 4, FetchBatchSize = 4, PollInterval = TimeSpan.FromMilliseconds(200) };
        var worker = new Worker(store, new JobDispatcher([registry]), services, options, time, Microsoft.Extensions.Logging.Abstractions.NullLogger<Worker>.Instance);
        var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        return (definition, async () =>
        {
            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(10));
            await services.DisposeAsync();
            stop.Dispose();
        });
    }

    /// <summary>Moves the fake clock in half-second steps until <paramref name="condition"/> holds (bounded in real time).</summary>
    private static async Task AdvanceUntilAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Waited 20 s (fake time {time.GetUtcNow():O}) for {what}.");
            time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(5);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
