using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TaskQueue.Scheduling;

/// <summary>
/// Enqueues the occurrences of recurring schedules as they fall due. Any number of schedulers may run, in any number of
/// processes, with no leader: each step is a compare-and-set in the store (<see cref="IScheduleStore.AdvanceScheduleAsync"/>)
/// that enqueues an occurrence under a deterministic job id, so every occurrence is enqueued once, and a paused or crashed
/// scheduler never blocks the others. Idle, it costs one store call per queue with schedules and
/// <see cref="RecurringSchedulerOptions.PollInterval"/> (it sleeps until the earliest due instant, at most that long).
/// </summary>
public sealed class RecurringScheduler
{
    /// <summary>Bounds the immediate re-reads of one queue in one pass (catch-up after an outage advances a schedule in several steps).</summary>
    private const int MaxRoundsPerQueue = 100;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly IScheduleStore _store;
    private readonly RecurringSchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<string> _reportedInvalid = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _queues = [];
    private long _nextQueueRefresh = long.MinValue;

    /// <summary>Creates a scheduler over <paramref name="store"/>.</summary>
    /// <param name="store">The store holding the schedules.</param>
    /// <param name="options">Settings, or null for the defaults.</param>
    /// <param name="timeProvider">The clock the scheduler sleeps on (due-ness is judged by the store's clock); null for the system clock.</param>
    /// <param name="logger">Where to log, or null.</param>
    public RecurringScheduler(IScheduleStore store, RecurringSchedulerOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? new RecurringSchedulerOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> fires; store failures are logged and retried with backoff.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan sleep;
            try
            {
                sleep = (await PassAsync(stoppingToken).ConfigureAwait(false)).Wake;
                failures = 0;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                failures++;
                sleep = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, _options.PollInterval.Ticks << Math.Min(failures, 10)));
                _logger.StoreFailed(exception, sleep);
            }

            try
            {
                if (sleep > TimeSpan.Zero)
                {
                    await Task.Delay(sleep, _time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One pass over every queue with schedules: enqueues every due occurrence. Returns how many occurrences this
    /// scheduler enqueued (those another scheduler enqueued first are not counted).
    /// </summary>
    public async ValueTask<int> RunPassAsync(CancellationToken cancellationToken = default)
        => (await PassAsync(cancellationToken).ConfigureAwait(false)).Enqueued;

    /// <summary>Forgets the cached list of queues, so the next pass reads it again (after a local schedule change).</summary>
    public void RefreshQueues() => Volatile.Write(ref _nextQueueRefresh, long.MinValue);

    private async ValueTask<(int Enqueued, TimeSpan Wake)> PassAsync(CancellationToken cancellationToken)
    {
        var timestamp = _time.GetTimestamp();
        if (timestamp >= Volatile.Read(ref _nextQueueRefresh))
        {
            _queues = await _store.ListScheduleQueuesAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _nextQueueRefresh, timestamp + (long)(_options.QueueRefreshInterval.TotalSeconds * _time.TimestampFrequency));
        }

        var wake = _options.PollInterval;
        var enqueued = 0;
        foreach (var queue in _queues)
        {
            for (var round = 0; round < MaxRoundsPerQueue; round++)
            {
                var due = await _store.GetDueSchedulesAsync(queue, _options.BatchSize, cancellationToken).ConfigureAwait(false);
                if (due.Due.Count == 0)
                {
                    if (due.NextDueAt is { } next && next - due.Now < wake)
                    {
                        wake = next - due.Now;
                    }

                    break;
                }

                var (count, progressed) = await AdvanceAllAsync(due, cancellationToken).ConfigureAwait(false);
                enqueued += count;
                if (!progressed)
                {
                    // Only conflicts or unusable schedules: look again soon, not in a tight loop.
                    wake = TimeSpan.FromTicks(Math.Min(wake.Ticks, TimeSpan.FromMilliseconds(100).Ticks));
                    break;
                }
            }
        }

        return (enqueued, wake < TimeSpan.Zero ? TimeSpan.Zero : wake);
    }

    private async ValueTask<(int Enqueued, bool Progressed)> AdvanceAllAsync(DueSchedules due, CancellationToken cancellationToken)
    {
        // Schedulers reading the same due list start at different places, so they rarely race for the same schedule.
        var order = due.Due.ToArray();
        Random.Shared.Shuffle(order);
        var enqueued = 0;
        var progressed = false;
        foreach (var state in order)
        {
            ScheduleAdvance? step;
            try
            {
                step = OccurrencePlanner.Plan(state, due.Now, _options.MisfireThreshold);
            }
            catch (ArgumentException exception)
            {
                if (_reportedInvalid.Add(state.Schedule.Name))
                {
                    _logger.ScheduleInvalid(exception, state.Schedule.Name);
                }

                continue;
            }

            if (step is null)
            {
                continue;
            }

            var outcome = await _store.AdvanceScheduleAsync(step, cancellationToken).ConfigureAwait(false);
            if (outcome == ScheduleAdvanceOutcome.Conflict)
            {
                continue;
            }

            progressed = true;
            if (step.SkippedCount > 0)
            {
                _logger.Misfired(step.Name, step.ExpectedDueAt, step.SkippedCount, step.Occurrences.Count, state.Schedule.Misfire);
            }

            if (outcome == ScheduleAdvanceOutcome.SkippedOverlap)
            {
                _logger.OverlapSkipped(step.Name, step.ExpectedDueAt);
            }
            else if (step.Occurrences.Count > 0)
            {
                enqueued += step.Occurrences.Count;
                _logger.OccurrenceEnqueued(step.Name, step.Occurrences.Count, step.Occurrences[0], step.NextDueAt);
            }
        }

        return (enqueued, progressed);
    }
}
