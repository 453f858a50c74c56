using Microsoft.Extensions.Logging;
using TaskQueue.Storage;

namespace TaskQueue.Processing;

/// <summary>Keeps this worker's entry in the store's worker registry fresh, every heartbeat interval.</summary>
internal sealed class WorkerRegistration
{
    private readonly IJobStore _store;
    private readonly WorkerInfo _info;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<int> _runningJobs;

    public WorkerRegistration(IJobStore store, WorkerInfo info, Func<int> runningJobs, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _store = store;
        _info = info;
        _runningJobs = runningJobs;
        _interval = interval;

        // Three missed heartbeats before the entry disappears.
        _ttl = interval * 3;
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
                try
                {
                    await _store.HeartbeatWorkerAsync(_info with { RunningJobs = _runningJobs() }, _ttl, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    _logger.StoreFailed(exception, nameof(IJobStore.HeartbeatWorkerAsync), _interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Removes the entry at shutdown; a failure only means it expires by TTL instead.</summary>
    public async Task RemoveAsync()
    {
        try
        {
            await _store.RemoveWorkerAsync(_info.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _logger.StoreFailed(exception, nameof(IJobStore.RemoveWorkerAsync), TimeSpan.Zero);
        }
    }
}
