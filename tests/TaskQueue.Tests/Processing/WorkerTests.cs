using Xunit;
using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Processing;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Processing;

public sealed class WorkerTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Worker_runs_jobs_in_strict_priority_order_and_fifo_within_a_priority()
    {
        await using var h = new WorkerHarness();
        var order = new ConcurrentQueue<string>();
        var job = h.Registry.Add("record", (payload, _) => { order.Enqueue(JsonDocument.Parse(payload).RootElement.GetProperty("n").GetString()!); return Task.FromResult<byte[]?>(null); });
        await h.EnqueueAsync(job, """{"n":"low-1"}""", new JobOptions { Priority = Priority.Low });
        await h.EnqueueAsync(job, """{"n":"normal-1"}""");
        await h.EnqueueAsync(job, """{"n":"critical-1"}""", new JobOptions { Priority = Priority.Critical });
        await h.EnqueueAsync(job, """{"n":"normal-2"}""");
        await h.EnqueueAsync(job, """{"n":"high-1"}""", new JobOptions { Priority = Priority.High });
        await h.EnqueueAsync(job, """{"n":"critical-2"}""", new JobOptions { Priority = Priority.Critical });

        h.Start();
        await WorkerHarness.UntilAsync(() => order.Count == 6, "all six jobs to run");

        Assert.Equal(["critical-1", "critical-2", "high-1", "normal-1", "normal-2", "low-1"], order);
    }

    [Fact]
    public async Task Delayed_job_never_runs_before_it_is_due()
    {
        await using var h = new WorkerHarness();
        var ran = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = h.Registry.Add("later", _ => { ran.TrySetResult(h.Time.GetUtcNow()); return Task.CompletedTask; });
        h.Start();
        var due = h.Time.GetUtcNow() + TimeSpan.FromMinutes(10);
        var id = await h.EnqueueAsync(job, options: new JobOptions { Delay = TimeSpan.FromMinutes(10) });

        for (var i = 0; i < 9; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(20);
        }

        Assert.False(ran.Task.IsCompleted, "the job ran before it was due");
        Assert.Equal(JobState.Scheduled, (await h.JobAsync(id)).State);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var ranAt = await ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(ranAt >= due, $"ran at {ranAt:O}, due at {due:O}");
    }

    [Theory]
    [InlineData(RetryStrategy.Fixed, 10, 10, 10)]
    [InlineData(RetryStrategy.Linear, 10, 20, 30)]
    public async Task Retry_delays_follow_the_jobs_strategy(RetryStrategy strategy, int first, int second, int third)
    {
        await using var h = new WorkerHarness();
        var job = h.Registry.Add("flaky", _ => throw new InvalidOperationException("always"), maxRetries: 3, retry: new RetryPolicy(strategy, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)));
        h.Start();
        var id = await h.EnqueueAsync(job);

        var delays = await CollectRetryDelaysAsync(h, id, 3);

        Assert.Equal([TimeSpan.FromSeconds(first), TimeSpan.FromSeconds(second), TimeSpan.FromSeconds(third)], delays);
    }

    [Fact]
    public async Task Exponential_jitter_retry_delays_stay_between_half_and_all_of_the_doubled_base()
    {
        await using var h = new WorkerHarness(seed: 7);
        var policy = new RetryPolicy(RetryStrategy.ExponentialJitter, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
        var job = h.Registry.Add("flaky", _ => throw new InvalidOperationException("always"), maxRetries: 3, retry: policy);
        h.Start();
        var id = await h.EnqueueAsync(job);

        var delays = await CollectRetryDelaysAsync(h, id, 3);

        var expectedJitter = new Random(7);
        for (var retry = 1; retry <= 3; retry++)
        {
            var full = TimeSpan.FromSeconds(Math.Min(10 * Math.Pow(2, retry - 1), 30));
            Assert.InRange(delays[retry - 1], full / 2, full);
            Assert.Equal(policy.GetDelay(retry, expectedJitter.NextDouble()), delays[retry - 1]);
        }
    }

    [Fact]
    public async Task Job_moves_to_dead_letters_after_max_retries_with_the_last_error()
    {
        await using var h = new WorkerHarness();
        var calls = 0;
        var job = h.Registry.Add("doomed", _ => throw new InvalidOperationException($"boom on call {Interlocked.Increment(ref calls)}"), maxRetries: 2);
        h.Start();
        var id = await h.EnqueueAsync(job);

        await h.AdvanceUntilAsync(async () => (await h.JobAsync(id)).State == JobState.Dead, Step, "the job to be dead-lettered");

        var info = await h.JobAsync(id);
        Assert.Equal(3, calls);
        Assert.Equal(3, info.Attempt);
        Assert.Contains("System.InvalidOperationException: boom on call 3", info.LastError);
        Assert.Contains(nameof(Job_moves_to_dead_letters_after_max_retries_with_the_last_error), info.LastError);
    }

    [Fact]
    public async Task Duplicate_idempotency_key_returns_the_first_job_id_and_runs_once()
    {
        await using var h = new WorkerHarness();
        var runs = 0;
        var job = h.Registry.Add("once", _ => { Interlocked.Increment(ref runs); return Task.CompletedTask; });
        var first = await h.EnqueueAsync(job, options: new JobOptions { IdempotencyKey = "invoice-7" });
        var second = await h.EnqueueAsync(job, options: new JobOptions { IdempotencyKey = "invoice-7" });

        h.Start();
        await h.UntilStateAsync(first, JobState.Succeeded);
        await Task.Delay(50);

        Assert.Equal(first, second);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Timeout_cancels_the_handlers_token_and_fails_the_job_with_a_timeout_naming_it()
    {
        await using var h = new WorkerHarness();
        var observed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = h.Registry.Add("slow-report", async ctx =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                observed.TrySetResult();
                throw;
            }
        }, maxRetries: 0, timeout: TimeSpan.FromSeconds(5));
        h.Start();
        var id = await h.EnqueueAsync(job);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        h.Time.Advance(TimeSpan.FromSeconds(5));

        await observed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await h.UntilStateAsync(id, JobState.Dead);
        var error = (await h.JobAsync(id)).LastError;
        Assert.Contains("TimeoutException", error);
        Assert.Contains("'slow-report'", error);
        Assert.Contains("00:00:05", error);
    }

    [Fact]
    public async Task Graceful_shutdown_waits_for_a_short_job_and_returns_a_long_job_to_the_queue_uncounted()
    {
        await using var h = new WorkerHarness(o => o.Concurrency = 2);
        var shortGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var longCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var shortJob = h.Registry.Add("short", _ => shortGate.Task);
        var longJob = h.Registry.Add("long", async ctx =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                longCancelled.TrySetResult();
                throw;
            }
        });
        var shortId = await h.EnqueueAsync(shortJob);
        var longId = await h.EnqueueAsync(longJob);
        h.Start();
        await WorkerHarness.UntilAsync(() => h.Worker!.RunningCount == 2, "both jobs to start");

        h.RequestStop();
        await Task.Delay(20);
        Assert.False(h.Running.IsCompleted, "shutdown did not wait for running jobs");
        shortGate.SetResult();
        await h.UntilStateAsync(shortId, JobState.Succeeded);
        Assert.False(longCancelled.Task.IsCompleted, "the long job was cancelled before the drain time");
        h.Time.Advance(h.Options.ShutdownDrainTime);
        await h.Running.WaitAsync(TimeSpan.FromSeconds(10));

        await longCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var info = await h.JobAsync(longId);
        Assert.Equal(JobState.Pending, info.State);
        Assert.Equal(0, info.Attempt);
        Assert.Empty(await h.InnerStore.ListWorkersAsync());
    }

    [Fact]
    public async Task Handler_exception_never_kills_the_worker()
    {
        await using var h = new WorkerHarness();
        var bad = h.Registry.Add("bad", _ => throw new NullReferenceException("handler bug"), maxRetries: 0);
        var good = h.Registry.Add("good", _ => Task.CompletedTask);
        var badId = await h.EnqueueAsync(bad);
        var goodId = await h.EnqueueAsync(good);

        h.Start();

        await h.UntilStateAsync(badId, JobState.Dead);
        await h.UntilStateAsync(goodId, JobState.Succeeded);
        var later = await h.EnqueueAsync(good);
        await h.UntilStateAsync(later, JobState.Succeeded);
        Assert.False(h.Running.IsCompleted);
    }

    [Fact]
    public async Task Malformed_payload_goes_straight_to_dead_letters_with_the_payload_error()
    {
        await using var h = new WorkerHarness();
        var calls = 0;
        var job = h.Registry.Add("parse", (payload, ctx) =>
        {
            Interlocked.Increment(ref calls);
            try
            {
                JsonDocument.Parse(payload).Dispose();
            }
            catch (JsonException ex)
            {
                throw new JobPayloadException(ctx.Name, "order", "$.order", "expected an object", ex);
            }

            return Task.FromResult<byte[]?>(null);
        }, maxRetries: 5);
        h.Start();

        var id = await h.EnqueueAsync(job, "{not json");

        await h.UntilStateAsync(id, JobState.Dead);
        var info = await h.JobAsync(id);
        Assert.Equal(1, calls);
        Assert.Equal(1, info.Attempt);
        Assert.Contains("JobPayloadException", info.LastError);
        Assert.Contains("Job 'parse', parameter 'order': payload at $.order: expected an object", info.LastError);
    }

    [Fact]
    public async Task Lost_lease_cancels_the_handler_and_records_no_outcome()
    {
        await using var h = new WorkerHarness();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = h.Registry.Add("long", async ctx =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
        });
        h.Start();
        var id = await h.EnqueueAsync(job);
        await WorkerHarness.UntilAsync(() => h.Worker!.RunningCount == 1, "the handler to start");

        h.Store.LoseLeases = true;

        // Stepwise: the heartbeat loop's timer may start a moment after the handler does.
        await h.AdvanceUntilAsync(() => Task.FromResult(cancelled.Task.IsCompleted), TimeSpan.FromSeconds(1), "the handler's token to be cancelled");
        await WorkerHarness.UntilAsync(() => h.Worker!.RunningCount == 0, "the attempt to be abandoned");
        var info = await h.JobAsync(id);
        Assert.Equal(JobState.Active, info.State);
        Assert.Null(info.LastError);
    }

    [Fact]
    public async Task Heartbeat_keeps_a_long_job_leased_past_its_first_lease_deadline()
    {
        await using var h = new WorkerHarness();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = h.Registry.Add("long", _ => gate.Task);
        h.Start();
        var id = await h.EnqueueAsync(job);
        await WorkerHarness.UntilAsync(() => h.Worker!.RunningCount == 1, "the handler to start");

        for (var i = 0; i < 12; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20);
        }

        Assert.Equal(0, await h.InnerStore.RecoverExpiredLeasesAsync(JobDefaults.Queue));
        gate.SetResult();
        await h.UntilStateAsync(id, JobState.Succeeded);
        Assert.Equal(1, (await h.JobAsync(id)).Attempt);
    }

    [Fact]
    public async Task Job_cancelled_while_running_has_its_token_cancelled()
    {
        await using var h = new WorkerHarness();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = h.Registry.Add("cancel-me", async ctx =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
        });
        h.Start();
        var id = await h.EnqueueAsync(job);
        await WorkerHarness.UntilAsync(() => h.Worker!.RunningCount == 1, "the handler to start");

        Assert.True(await h.Client.CancelAsync(JobDefaults.Queue, id));

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await WorkerHarness.UntilAsync(() => h.Worker!.RunningCount == 0, "the attempt to end");
        Assert.Equal(JobState.Cancelled, (await h.JobAsync(id)).State);
    }

    [Fact]
    public async Task Worker_survives_a_store_that_throws_for_a_while()
    {
        await using var h = new WorkerHarness();
        var job = h.Registry.Add("after-outage", _ => Task.CompletedTask);
        h.Store.Down = true;
        h.Start();
        await h.AdvanceUntilAsync(() => Task.FromResult(h.Store.Failures >= 5), Step, "several failed store calls");

        h.Store.Down = false;
        var id = await h.EnqueueAsync(job);

        await h.AdvanceUntilAsync(async () => (await h.JobAsync(id)).State == JobState.Succeeded, Step, "the job to run after the outage");
        Assert.False(h.Running.IsCompleted);
    }

    [Fact]
    public async Task Worker_never_runs_more_jobs_at_once_than_its_concurrency()
    {
        await using var h = new WorkerHarness(o => { o.Concurrency = 3; o.FetchBatchSize = 10; });
        var running = 0;
        var maxRunning = 0;
        var done = 0;
        var job = h.Registry.Add("busy", async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            await Task.Delay(5);
            Interlocked.Decrement(ref running);
            Interlocked.Increment(ref done);
        });
        for (var i = 0; i < 30; i++)
        {
            await h.EnqueueAsync(job);
        }

        h.Start();
        await WorkerHarness.UntilAsync(() => Volatile.Read(ref done) == 30, "all jobs to run");

        Assert.InRange(maxRunning, 1, 3);
    }

    [Fact]
    public async Task Instance_jobs_get_a_new_scope_per_attempt_and_static_jobs_the_root_provider()
    {
        await using var h = new WorkerHarness();
        var scoped = new ConcurrentBag<ScopedThing>();
        var providers = new ConcurrentBag<IServiceProvider>();
        var instance = h.Registry.Add("instance", ctx => { scoped.Add(ctx.Services.GetRequiredService<ScopedThing>()); return Task.CompletedTask; }, requiresScope: true);
        var stat = h.Registry.Add("static", ctx => { providers.Add(ctx.Services); return Task.CompletedTask; });
        var a = await h.EnqueueAsync(instance);
        var b = await h.EnqueueAsync(instance);
        var c = await h.EnqueueAsync(stat);

        h.Start();
        await h.UntilStateAsync(a, JobState.Succeeded);
        await h.UntilStateAsync(b, JobState.Succeeded);
        await h.UntilStateAsync(c, JobState.Succeeded);

        Assert.Equal(2, scoped.Distinct().Count());
        Assert.Same(h.Services, Assert.Single(providers));
    }

    [Fact]
    public async Task Job_result_is_stored_on_success()
    {
        await using var h = new WorkerHarness();
        var job = h.Registry.Add("answer", (_, _) => Task.FromResult<byte[]?>("42"u8.ToArray()));
        h.Start();

        var id = await h.EnqueueAsync(job);

        await h.UntilStateAsync(id, JobState.Succeeded);
        Assert.Equal("42", System.Text.Encoding.UTF8.GetString((await h.JobAsync(id)).Result!.Value.Span));
    }

    [Fact]
    public async Task Recoverer_requeues_the_job_of_a_crashed_worker_and_it_runs_again()
    {
        await using var h = new WorkerHarness();
        var attempts = new ConcurrentQueue<int>();
        var job = h.Registry.Add("survivor", ctx => { attempts.Enqueue(ctx.Attempt); return Task.CompletedTask; });
        var id = await h.EnqueueAsync(job);
        Assert.Single(await h.InnerStore.FetchAsync(new FetchRequest(JobDefaults.Queue, 1, TimeSpan.FromSeconds(30), "crashed-worker")));

        h.Start();
        await h.AdvanceUntilAsync(async () => (await h.JobAsync(id)).State == JobState.Succeeded, TimeSpan.FromSeconds(5), "the recovered job to run");

        Assert.Equal([2], attempts);
    }

    [Fact]
    public async Task Running_worker_is_listed_in_the_registry()
    {
        await using var h = new WorkerHarness(o => o.Queues = ["default", "emails"]);
        h.Start();

        await WorkerHarness.UntilAsync(async () => (await h.InnerStore.ListWorkersAsync()).Count == 1, "the worker to register");

        var info = Assert.Single(await h.InnerStore.ListWorkersAsync());
        Assert.Equal(h.Worker!.Id, info.Id);
        Assert.Equal(["default", "emails"], info.Queues);
        await h.StopAsync();
        Assert.Empty(await h.InnerStore.ListWorkersAsync());
    }

    private static async Task<List<TimeSpan>> CollectRetryDelaysAsync(WorkerHarness h, JobId id, int retries)
    {
        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= retries; attempt++)
        {
            await WorkerHarness.UntilAsync(async () => await h.JobAsync(id) is { State: JobState.Scheduled } info && info.Attempt == attempt, $"retry {attempt} to be scheduled");
            var dueAt = (await h.JobAsync(id)).DueAt!.Value;
            delays.Add(dueAt - h.Time.GetUtcNow());
            h.Time.SetUtcNow(dueAt);
        }

        return delays;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
