using Microsoft.Extensions.Logging;
using TaskQueue.Storage;

namespace TaskQueue.Processing;

/// <summary>
/// Runs jobs from an <see cref="IJobStore"/>: fetches in batches with bounded concurrency, runs each attempt
/// through the <see cref="JobDispatcher"/>, retries with the job's backoff, dead-letters exhausted or unrunnable
/// jobs, keeps leases alive, recovers expired leases and shuts down gracefully.
/// </summary>
/// <remarks>
/// The work is split into loops of the same shape (<c>FetchLoop</c>, <c>JobExecutor</c>, <c>CompletionFlusher</c>,
/// <c>LeaseHeartbeat</c>, <c>LeaseRecoverer</c>, <c>WorkerRegistration</c>); this class wires them and runs the shutdown.
/// Store failures are logged and retried with capped backoff; a handler's exception never stops the worker.
/// </remarks>
public sealed class Worker
{
    private static readonly TimeSpan MinFlushTime = TimeSpan.FromSeconds(5);

    /// <summary>A store that connects within this is waited for without a log line (a normal start).</summary>
    private static readonly TimeSpan QuietStoreWait = TimeSpan.FromSeconds(1);

    private readonly IJobStore _store;
    private readonly WorkerOptions _options;
    private readonly string[] _queues;
    private readonly TimeProvider _time;
    private readonly ILogger<Worker> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly RunningJobs _running = new();
    private readonly CompletionFlusher _completions;
    private readonly JobExecutor _executor;
    private readonly JobDispatcher _dispatcher;
    private readonly RetryDecider _decider;
    private int _started;

    /// <summary>Creates a worker; nothing runs until <see cref="RunAsync"/>.</summary>
    /// <param name="store">Where jobs come from and outcomes go.</param>
    /// <param name="dispatcher">The jobs this worker can run.</param>
    /// <param name="services">
    /// The root service provider: static jobs get it as <see cref="JobContext.Services"/>; instance jobs
    /// (<see cref="JobDefinition.RequiresScope"/>) get an <c>AsyncServiceScope</c> per attempt from its <c>IServiceScopeFactory</c>.
    /// </param>
    /// <param name="options">Settings, validated here; copied, so later changes have no effect.</param>
    /// <param name="timeProvider">The clock of timeouts, heartbeats, backoff and shutdown drain.</param>
    /// <param name="logger">Where the worker logs.</param>
    /// <param name="jitter">The source of retry jitter (seed it in tests), or null for <see cref="Random.Shared"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public Worker(IJobStore store, JobDispatcher dispatcher, IServiceProvider services, WorkerOptions options, TimeProvider timeProvider, ILogger<Worker> logger, Random? jitter = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        options.Validate();
        _options = new WorkerOptions
        {
            Queues = [.. options.Queues],
            Concurrency = options.Concurrency,
            FetchBatchSize = options.FetchBatchSize,
            LeaseDuration = options.LeaseDuration,
            HeartbeatInterval = options.HeartbeatInterval,
            RecoveryInterval = options.RecoveryInterval,
            PollInterval = options.PollInterval,
            ShutdownDrainTime = options.ShutdownDrainTime,
            CompletionBatchSize = options.CompletionBatchSize,
            DefaultTimeout = options.DefaultTimeout,
            UnknownJobGraceTime = options.UnknownJobGraceTime,
        };
        _queues = [.. options.Queues.Distinct(StringComparer.Ordinal)];
        _slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        Id = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        _completions = new CompletionFlusher(store, options.CompletionBatchSize, timeProvider, logger);
        _dispatcher = dispatcher;
        _decider = new RetryDecider(options.UnknownJobGraceTime, jitter);
        _executor = new JobExecutor(store, dispatcher, services, _running, _completions, _slots, options.DefaultTimeout, timeProvider, logger, _decider, options.UnknownJobGraceTime);
    }

    /// <summary>This worker's id in the store's worker registry and on its leases.</summary>
    public string Id { get; }

    /// <summary>Attempts running now whose outcome is not decided yet.</summary>
    public int RunningCount => _running.Count;

    /// <summary>
    /// Waits for a store that is still connecting (<see cref="IJobStoreStartup"/>), then
    /// runs until <paramref name="stoppingToken"/> fires, then shuts down gracefully: stops fetching, waits up to
    /// <see cref="WorkerOptions.ShutdownDrainTime"/> for running jobs, cancels the rest through their tokens and returns
    /// them to the queue uncounted (<see cref="CompletionKind.Release"/>), writes all outcomes, removes its registry entry and returns.
    /// A handler that ignores its token after that is not waited for; its outcome is discarded.
    /// </summary>
    /// <exception cref="InvalidOperationException">The worker was already started (a worker runs once).</exception>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"Worker {Id} was already started; create a new Worker to run again.");
        }

        await Task.Yield();
        if (!await WaitForStoreAsync(stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        var info = new WorkerInfo
        {
            Id = Id,
            Host = Environment.MachineName,
            ProcessId = Environment.ProcessId,
            Queues = _queues,
            Concurrency = _options.Concurrency,
            StartedAt = _time.GetUtcNow(),
        };
        var registration = new WorkerRegistration(_store, info, () => _running.Count, _options.HeartbeatInterval, _time, _logger);
        var heartbeat = new LeaseHeartbeat(_store, _running, _executor, _options.HeartbeatInterval, _options.LeaseDuration, _time, _logger);
        var recoverer = new LeaseRecoverer(_store, _queues, _options.RecoveryInterval, DecideExpired, _time, _logger);
        var fetchLoop = new FetchLoop(_store, _executor, _slots, _queues, _options.FetchBatchSize, _options.LeaseDuration, _options.PollInterval, Id, _time, _logger);

        using var background = new CancellationTokenSource();
        using var giveUpFlushing = new CancellationTokenSource();
        var flushing = Task.Run(() => _completions.RunAsync(giveUpFlushing.Token), CancellationToken.None);
        var subscription = await SubscribeToCancellationsAsync(stoppingToken).ConfigureAwait(false);
        var loops = new[]
        {
            Task.Run(() => registration.RunAsync(background.Token), CancellationToken.None),
            Task.Run(() => heartbeat.RunAsync(background.Token), CancellationToken.None),
            Task.Run(() => recoverer.RunAsync(background.Token), CancellationToken.None),
        };
        _logger.WorkerStarted(Id, string.Join(",", _queues), _options.Concurrency);

        await fetchLoop.RunAsync(stoppingToken).ConfigureAwait(false);

        await DrainAsync().ConfigureAwait(false);
        foreach (var run in _running.Snapshot())
        {
            _executor.Release(run);
        }

        _completions.Complete();
        // A store that stays down must not hold shutdown forever: the unwritten attempts' leases expire and they are recovered.
        var flushLimit = _options.ShutdownDrainTime > MinFlushTime ? _options.ShutdownDrainTime : MinFlushTime;
        using (var flushTimer = new CancellationTokenSource(flushLimit, _time))
        using (flushTimer.Token.Register(static state => ((CancellationTokenSource)state!).Cancel(), giveUpFlushing))
        {
            await flushing.ConfigureAwait(false);
        }

        // Leases are kept alive until every outcome is written.
        await background.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
        if (subscription is not null)
        {
            await DisposeQuietlyAsync(subscription).ConfigureAwait(false);
        }

        await registration.RemoveAsync().ConfigureAwait(false);
        _logger.WorkerStopped(Id);
    }

    /// <summary>
    /// Waits until a store that connects in the background (<see cref="IJobStoreStartup"/>) is available, logging once
    /// when that takes a while; false when stopped first.
    /// </summary>
    private async Task<bool> WaitForStoreAsync(CancellationToken stoppingToken)
    {
        if (_store is not IJobStoreStartup startup || startup.IsAvailable)
        {
            return true;
        }

        var started = _time.GetTimestamp();
        var available = startup.WaitUntilAvailableAsync(stoppingToken).AsTask();
        await Task.WhenAny(available, Task.Delay(QuietStoreWait, _time, stoppingToken)).ConfigureAwait(false);
        var logged = !available.IsCompleted && !stoppingToken.IsCancellationRequested;
        if (logged)
        {
            _logger.WaitingForStore(Id, _store.GetType().Name);
        }

        try
        {
            await available.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }

        if (logged)
        {
            _logger.StoreConnected(Id, _store.GetType().Name, _time.GetElapsedTime(started));
        }

        return true;
    }

    private async Task DrainAsync()
    {
        var idle = _running.WhenIdleAsync();
        if (idle.IsCompleted || _options.ShutdownDrainTime == TimeSpan.Zero)
        {
            return;
        }

        using var drainTimer = new CancellationTokenSource();
        var drained = Task.Delay(_options.ShutdownDrainTime, _time, drainTimer.Token);
        await Task.WhenAny(idle, drained).ConfigureAwait(false);
        await drainTimer.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>Subscribes to job cancellations, retrying while the store fails; null when stopped first.</summary>
    private async Task<IAsyncDisposable?> SubscribeToCancellationsAsync(CancellationToken stoppingToken)
    {
        var backoff = new StoreBackoff(_time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                return await _store.SubscribeToCancellationsAsync(OnJobCancelled, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                _logger.StoreFailed(exception, nameof(IJobStore.SubscribeToCancellationsAsync), backoff.NextDelay);
                await backoff.DelayAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>An expired lease is a failed attempt like any other: the job's backoff (the default one if this worker does not know the job).</summary>
    private JobCompletion DecideExpired(ExpiredLease expired)
    {
        var retry = _dispatcher.TryGetJob(expired.Name, out var registration) ? registration.Definition.Retry : RetryPolicy.Default;
        var error = $"Job '{expired.Name}' ({expired.Lease.Id}): the lease of attempt {expired.Attempt} expired (worker '{expired.WorkerId}' crashed, was killed or stalled past its lease).";
        return _decider.Decide(expired.Lease, FailureKind.LeaseExpired, expired.Attempt, expired.MaxRetries, retry, deferrals: 0, error);
    }

    private void OnJobCancelled(JobId id)
    {
        if (_running.TryGet(id, out var run))
        {
            _executor.Abandon(run, CancelReason.JobCancelled);
        }
    }

    private async Task DisposeQuietlyAsync(IAsyncDisposable disposable)
    {
        try
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _logger.StoreFailed(exception, "DisposeCancellationSubscription", TimeSpan.Zero);
        }
    }
}
