using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TaskQueue.Client;
using TaskQueue.Processing;
using TaskQueue.Storage;

namespace TaskQueue.Tests.Processing;

/// <summary>A worker over an in-memory store on a fake clock, with a hand-written registry; stops the worker on dispose.</summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public WorkerHarness(Action<WorkerOptions>? configure = null, int? seed = 42)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        InnerStore = new InMemoryJobStore(Time);
        Store = new FlakyJobStore(InnerStore);
        Client = new JobClient(InnerStore);
        Options = new WorkerOptions { Concurrency = 1, FetchBatchSize = 1, ShutdownDrainTime = TimeSpan.FromSeconds(10) };
        configure?.Invoke(Options);
        var services = new ServiceCollection();
        services.AddScoped<ScopedThing>();
        Services = services.BuildServiceProvider();
        Jitter = seed is { } s ? new Random(s) : null;
    }

    public FakeTimeProvider Time { get; }

    public InMemoryJobStore InnerStore { get; }

    public FlakyJobStore Store { get; }

    public JobClient Client { get; }

    public WorkerOptions Options { get; }

    public ServiceProvider Services { get; }

    public FakeJobRegistry Registry { get; } = new();

    public Random? Jitter { get; }

    public Worker? Worker { get; private set; }

    /// <summary>The worker's logger; set before <see cref="Start"/>.</summary>
    public ILogger<Worker> Logger { get; set; } = NullLogger<Worker>.Instance;

    public Task Running => _running ?? throw new InvalidOperationException("Start the worker first.");

    public void Start()
    {
        Worker = new Worker(Store, new JobDispatcher([Registry]), Services, Options, Time, Logger, Jitter);
        _running = Worker.RunAsync(_stop.Token);
    }

    public void RequestStop() => _stop.Cancel();

    /// <summary>Stops the worker and waits (bounded, real time) for RunAsync to return.</summary>
    public async Task StopAsync()
    {
        _stop.Cancel();
        await Running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public ValueTask<JobId> EnqueueAsync(JobDefinition job, string payload = "{}", JobOptions? options = null)
        => Client.EnqueueAsync(job, System.Text.Encoding.UTF8.GetBytes(payload), options);

    public async Task<JobInfo> JobAsync(JobId id) => (await InnerStore.GetJobAsync(JobDefaults.Queue, id))!;

    /// <summary>Polls (real time, bounded) until <paramref name="condition"/> holds, without moving the fake clock.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"Waited 10 s for: {what}");
            }

            await Task.Delay(10);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    /// <summary>Polls until <paramref name="condition"/> holds, moving the fake clock by <paramref name="step"/> between polls.</summary>
    public async Task AdvanceUntilAsync(Func<Task<bool>> condition, TimeSpan step, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"Waited 10 s (fake time now {Time.GetUtcNow():O}) for: {what}");
            }

            Time.Advance(step);
            await Task.Delay(10);
        }
    }

    public Task UntilStateAsync(JobId id, JobState state) => UntilAsync(async () => (await JobAsync(id)).State == state, $"job {id} to be {state}");

    public async ValueTask DisposeAsync()
    {
        if (_running is not null && !_running.IsCompleted)
        {
            _stop.Cancel();

            // Let a drain that waits on the fake clock finish.
            await AdvanceUntilAsync(() => Task.FromResult(_running.IsCompleted), Options.ShutdownDrainTime, "the worker to stop");
        }

        await Services.DisposeAsync();
        _stop.Dispose();
    }
}

/// <summary>A scoped service: a new instance per DI scope.</summary>
internal sealed class ScopedThing;
