using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TaskQueue.Processing;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.LockedDown;

/// <summary>
/// The real worker on a store over a locked-down Redis: enqueue, fetch, complete, lease recovery, a job enqueued while
/// the worker idles picked up by the work signal (pub/sub, the poll interval is far longer), and cancellation of a
/// running job (the cancel channel).
/// </summary>
internal static class WorkerSmoke
{
    private const string Queue = "smoke";

    /// <summary>Well below the 30 s poll interval: only the work signal can wake the worker this soon.</summary>
    private static readonly TimeSpan SignalPickup = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(RedisJobStore store)
    {
        var registry = new Registry();
        var ok = Enumerable.Range(0, 3).Select(i => Job("Ok", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        await store.EnqueueManyAsync(ok);

        // A worker that crashed while holding this job: its lease expires and the worker's recovery retries it.
        var orphan = Job("Ok", "orphan");
        await store.EnqueueAsync(orphan);
        var leased = await store.FetchAsync(new FetchRequest(Queue, 10, TimeSpan.FromMilliseconds(300), "crashed-worker"));
        Assert.Equal(4, leased.Count);
        var others = leased.Where(j => j.Id != orphan.Id).ToList();
        await store.CompleteAsync(others.Select(j => new JobCompletion { Lease = j.Lease, Kind = CompletionKind.Succeeded }).ToList());

        using var services = new ServiceCollection().BuildServiceProvider();
        var worker = new Worker(
            store,
            new JobDispatcher([registry]),
            services,
            new WorkerOptions
            {
                Queues = [Queue], Concurrency = 4, PollInterval = TimeSpan.FromSeconds(30), HeartbeatInterval = TimeSpan.FromSeconds(1),
                RecoveryInterval = TimeSpan.FromMilliseconds(200), LeaseDuration = TimeSpan.FromSeconds(10),
            },
            TimeProvider.System,
            NullLogger<Worker>.Instance);
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        try
        {
            await Eventually.TrueAsync(async () => (await store.GetJobAsync(Queue, orphan.Id))?.State == JobState.Succeeded, "the orphaned job is recovered and run");
            Assert.Equal(2, (await store.GetJobAsync(Queue, orphan.Id))!.Attempt);
            Assert.Contains("orphan", registry.Ran);

            // Idle now: a new job is picked up long before the next poll only if the work signal arrives.
            await Task.Delay(300);
            var signalled = Job("Ok", "signalled");
            var clock = Stopwatch.StartNew();
            await store.EnqueueAsync(signalled);
            await Eventually.TrueAsync(() => Task.FromResult(registry.Ran.Contains("signalled")), "the job enqueued while the worker idles runs", SignalPickup);
            Assert.True(clock.Elapsed < SignalPickup, $"pick-up took {clock.Elapsed}");

            var blocking = Job("Block", "block");
            await store.EnqueueAsync(blocking);
            await Eventually.TrueAsync(() => Task.FromResult(registry.Started.Contains(blocking.Id)), "the blocking job starts");
            Assert.True(await store.CancelAsync(Queue, blocking.Id));
            await Eventually.TrueAsync(() => Task.FromResult(registry.Cancelled.Contains(blocking.Id)), "the running job's token fires on cancel");
            Assert.Equal(JobState.Cancelled, (await store.GetJobAsync(Queue, blocking.Id))!.State);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }

        var stats = await store.GetQueueStatsAsync(Queue);
        Assert.Equal((0, 0, 0), (stats.Pending, stats.Active, stats.Dead));
        Assert.Contains(Queue, await store.ListQueueNamesAsync());
    }

    private static NewJob Job(string name, string payload) => new()
    {
        Id = JobId.New(),
        Name = name,
        Queue = Queue,
        Priority = Priority.Normal,
        Payload = Encoding.UTF8.GetBytes(payload),
        MaxRetries = 3,
    };

    private sealed class Registry : IJobRegistry
    {
        private static readonly RetryPolicy s_fast = new(RetryStrategy.Fixed, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10));

        public ConcurrentBag<string> Ran { get; } = [];

        public ConcurrentBag<JobId> Started { get; } = [];

        public ConcurrentBag<JobId> Cancelled { get; } = [];

        public IReadOnlyList<JobDefinition> Jobs { get; } =
        [
            new("Ok", Queue, Priority.Normal, 3, null, s_fast, false),
            new("Block", Queue, Priority.Normal, 0, null, s_fast, false),
        ];

        public async ValueTask<byte[]?> InvokeAsync(string name, ReadOnlyMemory<byte> payload, JobContext context)
        {
            if (name == "Ok")
            {
                Ran.Add(Encoding.UTF8.GetString(payload.Span));
                return null;
            }

            Started.Add(context.Id);
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(1), context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.Add(context.Id);
                throw;
            }

            return null;
        }
    }
}
