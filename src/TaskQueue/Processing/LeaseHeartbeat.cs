using Microsoft.Extensions.Logging;
using TaskQueue.Storage;

namespace TaskQueue.Processing;

/// <summary>
/// Every heartbeat interval, extends the leases of all running attempts in one store call, on its own
/// loop so busy handlers never starve it. An attempt whose lease the store no longer holds is cancelled.
/// </summary>
internal sealed class LeaseHeartbeat
{
    private readonly IJobStore _store;
    private readonly RunningJobs _running;
    private readonly JobExecutor _executor;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _leaseDuration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public LeaseHeartbeat(IJobStore store, RunningJobs running, JobExecutor executor, TimeSpan interval, TimeSpan leaseDuration, TimeProvider time, ILogger logger)
    {
        _store = store;
        _running = running;
        _executor = executor;
        _interval = interval;
        _leaseDuration = leaseDuration;
        _time = time;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var leases = new List<LeaseHandle>();
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await BeatAsync(leases, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Extends every running lease once; a failing store is tried again at the next tick.</summary>
    internal async Task BeatAsync(List<LeaseHandle> leases, CancellationToken cancellationToken)
    {
        _running.CollectLeases(leases);
        if (leases.Count == 0)
        {
            return;
        }

        IReadOnlyList<LeaseHandle> lost;
        try
        {
            lost = await _store.ExtendLeasesAsync(leases, _leaseDuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.StoreFailed(exception, nameof(IJobStore.ExtendLeasesAsync), _interval);
            return;
        }

        foreach (var lease in lost)
        {
            if (_running.TryGet(lease.Id, out var run) && run.Job.LeaseToken == lease.LeaseToken)
            {
                _executor.Abandon(run, CancelReason.LeaseLost);
            }
        }
    }
}
