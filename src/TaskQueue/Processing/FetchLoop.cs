using Microsoft.Extensions.Logging;
using TaskQueue.Storage;

namespace TaskQueue.Processing;

/// <summary>
/// Takes free concurrency slots, fetches that many jobs at most (in batches, queues in the configured order)
/// and hands them to the executor; when nothing is ready it waits for the store to signal work.
/// </summary>
internal sealed class FetchLoop
{
    private readonly IJobStore _store;
    private readonly JobExecutor _executor;
    private readonly SemaphoreSlim _slots;
    private readonly string[] _queues;
    private readonly int _batchSize;
    private readonly TimeSpan _leaseDuration;
    private readonly TimeSpan _pollInterval;
    private readonly string _workerId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Jobs started in the current round; a field so a fetch that fails part-way still knows which slots it used.
    private int _started;

    public FetchLoop(IJobStore store, JobExecutor executor, SemaphoreSlim slots, string[] queues, int batchSize, TimeSpan leaseDuration, TimeSpan pollInterval, string workerId, TimeProvider time, ILogger logger)
    {
        _store = store;
        _executor = executor;
        _slots = slots;
        _queues = queues;
        _batchSize = batchSize;
        _leaseDuration = leaseDuration;
        _pollInterval = pollInterval;
        _workerId = workerId;
        _time = time;
        _logger = logger;
    }

    /// <summary>Fetches and starts jobs until <paramref name="stoppingToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var backoff = new StoreBackoff(_time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var free = 1;
            while (free < _batchSize && _slots.Wait(0))
            {
                free++;
            }

            _started = 0;
            bool drained;
            try
            {
                drained = await FetchAndStartAsync(free, stoppingToken).ConfigureAwait(false);
                backoff.Reset();
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                _logger.StoreFailed(exception, nameof(IJobStore.FetchAsync), backoff.NextDelay);
                ReleaseSlots(free - _started);
                await backoff.DelayAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException)
            {
                ReleaseSlots(free - _started);
                return;
            }

            ReleaseSlots(free - _started);
            if (drained)
            {
                await WaitForWorkAsync(backoff, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Fetches up to <paramref name="free"/> jobs from the queues in order and starts them. True when every queue
    /// gave fewer than asked, i.e. had no more ready: then the loop waits for work instead of fetching again at once
    /// (at a low rate that empty fetch would cost a round trip per job).
    /// </summary>
    private async Task<bool> FetchAndStartAsync(int free, CancellationToken cancellationToken)
    {
        foreach (var queue in _queues)
        {
            // Not cancellable: a fetch the store completed must not be dropped, or its jobs wait for lease expiry.
            var jobs = await _store.FetchAsync(new FetchRequest(queue, free - _started, _leaseDuration, _workerId), CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < jobs.Count; i++)
            {
                // Slots were taken before the fetch; each started job owns one until its handler returns.
                _executor.Start(jobs[i]);
                _started++;
            }

            if (_started == free)
            {
                return false;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        return true;
    }

    private async Task WaitForWorkAsync(StoreBackoff backoff, CancellationToken stoppingToken)
    {
        try
        {
            await _store.WaitForWorkAsync(_queues, _pollInterval, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            _logger.StoreFailed(exception, nameof(IJobStore.WaitForWorkAsync), backoff.NextDelay);
            await backoff.DelayAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private void ReleaseSlots(int count)
    {
        if (count > 0)
        {
            _slots.Release(count);
        }
    }
}
