using Microsoft.Extensions.Logging;
using TaskQueue.Storage;

namespace TaskQueue.Processing;

/// <summary>
/// Every recovery interval, asks the store to recover jobs of the served queues whose lease expired, e.g. because
/// their worker crashed. What each becomes (a retry after the job's backoff, or a dead letter) is decided by the
/// worker's <see cref="RetryDecider"/>, as for any other failure.
/// </summary>
internal sealed class LeaseRecoverer
{
    private readonly IJobStore _store;
    private readonly string[] _queues;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<ExpiredLease, JobCompletion> _decide;

    public LeaseRecoverer(IJobStore store, string[] queues, TimeSpan interval, Func<ExpiredLease, JobCompletion> decide, TimeProvider time, ILogger logger)
    {
        _decide = decide;
        _store = store;
        _queues = queues;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            do
            {
                await RecoverAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var queue in _queues)
        {
            try
            {
                var count = await _store.RecoverExpiredLeasesAsync(queue, _decide, cancellationToken).ConfigureAwait(false);
                if (count > 0)
                {
                    _logger.LeasesRecovered(count, queue);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The next tick tries again.
                _logger.StoreFailed(exception, nameof(IJobStore.RecoverExpiredLeasesAsync), _interval);
            }
        }
    }
}
