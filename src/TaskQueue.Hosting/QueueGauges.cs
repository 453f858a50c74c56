using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskQueue.Admin;
using TaskQueue.Storage;
using TaskQueue.Telemetry;

namespace TaskQueue.Hosting;

/// <summary>
/// The observable gauges: jobs per state of each queue this host's worker serves, read from the store once per
/// collection per queue (one script call on Redis), and the jobs this host runs now. They live on a meter named
/// <see cref="TaskQueueTelemetry.MeterName"/> made by the host's <see cref="IMeterFactory"/>, so they go away with the host.
/// </summary>
internal sealed class QueueGauges : IDisposable
{
    /// <summary>How long one collection waits for a queue's counts before it reports that queue as unknown.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    private static readonly (string State, Func<QueueStats, long> Count)[] s_states =
    [
        ("pending", s => s.Pending),
        ("scheduled", s => s.Scheduled),
        ("retrying", s => s.Retrying),
        ("running", s => s.Active),
        ("dead", s => s.Dead),
    ];

    // The messaging conventions' attribute names, as on TaskQueue's other instruments.
    private const string MessagingSystemTag = "messaging.system";
    private const string DestinationTag = "messaging.destination.name";
    private const string StateTag = "taskqueue.job.state";

    private readonly Meter _meter;
    private readonly IJobAdmin _admin;
    private readonly IReadOnlyList<string> _queues;
    private readonly ILogger _logger;

    public QueueGauges(IMeterFactory meters, IJobAdmin admin, IOptions<TaskQueueOptions> options, RunningWorkers workers, ILogger<QueueGauges> logger)
    {
        _admin = admin;
        _queues = [.. options.Value.Worker.Queues];
        _logger = logger;
        _meter = meters.Create(TaskQueueTelemetry.MeterName);
        _meter.CreateObservableGauge("taskqueue.queue.jobs", ObserveQueues, "{job}", "Jobs in each state of the queues this host's worker serves (taskqueue.job.state).");
        _meter.CreateObservableGauge(
            "taskqueue.worker.running_jobs",
            () => new Measurement<long>(workers.RunningJobs(), new KeyValuePair<string, object?>(MessagingSystemTag, TaskQueueTelemetry.MessagingSystem)),
            "{job}",
            "Jobs this host's worker runs now.");
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveQueues()
    {
        var measurements = new List<Measurement<long>>(_queues.Count * s_states.Length);
        foreach (var queue in _queues)
        {
            QueueStats stats;
            try
            {
                // Collection callbacks are synchronous; the read is bounded so a slow store cannot stall the exporter.
                stats = _admin.GetQueueStatsAsync(queue).AsTask().WaitAsync(ReadTimeout).GetAwaiter().GetResult();
            }
            catch (Exception exception)
            {
                // A queue whose counts could not be read is left out of this collection rather than reported as zero.
                _logger.GaugeReadFailed(exception, queue);
                continue;
            }

            foreach (var (state, count) in s_states)
            {
                measurements.Add(new Measurement<long>(
                    count(stats),
                    new KeyValuePair<string, object?>(MessagingSystemTag, TaskQueueTelemetry.MessagingSystem),
                    new KeyValuePair<string, object?>(DestinationTag, queue),
                    new KeyValuePair<string, object?>(StateTag, state)));
            }
        }

        return measurements;
    }
}
