using TaskQueue.Storage;
using TaskQueue.Telemetry;

namespace TaskQueue.Processing;

/// <summary>
/// One attempt in flight: its lease, its cancellation token and whether its outcome was already decided.
/// The outcome is decided exactly once (<see cref="TryFinish"/>), by whichever comes first: the handler
/// returning or throwing, the timeout, a job cancel, a lost lease or shutdown.
/// </summary>
internal sealed partial class RunningJob : IThreadPoolWorkItem, IDisposable
{
    private readonly JobExecutor _executor;
    private readonly CancellationTokenSource _cancellation = new();
    private int _reason;
    private int _finished;
    private TimeoutState? _timeout;
    private AttemptTelemetry? _telemetry;

    public RunningJob(JobExecutor executor, LeasedJob job, long startedTimestamp)
    {
        _executor = executor;
        Job = job;
        StartedTimestamp = startedTimestamp;
    }

    public LeasedJob Job { get; }

    /// <summary>The attempt's span and measurements, or null when nothing listens.</summary>
    /// <remarks>
    /// Fenced: a shutdown or cancel may decide the outcome while the attempt starts; then either the decider sees the
    /// telemetry or the starter sees <see cref="IsFinished"/> (<see cref="AttemptTelemetry.Decided"/> counts once).
    /// </remarks>
    public AttemptTelemetry? Telemetry
    {
        get => Volatile.Read(ref _telemetry);
        set => Interlocked.Exchange(ref _telemetry, value);
    }

    /// <summary>When the attempt started, from <see cref="TimeProvider.GetTimestamp"/>.</summary>
    public long StartedTimestamp { get; }

    /// <summary>The handler's token.</summary>
    public CancellationToken Token => _cancellation.Token;

    public CancelReason Reason => (CancelReason)Volatile.Read(ref _reason);

    public bool IsFinished => Volatile.Read(ref _finished) != 0;

    /// <summary>Fires the handler's token for <paramref name="reason"/>; false when it already fired for another.</summary>
    public bool Cancel(CancelReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, (int)CancelReason.None) != (int)CancelReason.None)
        {
            return false;
        }

        try
        {
            // Asynchronously, so the caller (a heartbeat or shutdown loop) never runs handler callbacks inline.
            _ = _cancellation.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The handler already returned.
        }

        return true;
    }

    /// <summary>Claims the right to record this attempt's outcome; true only for the first caller.</summary>
    public bool TryFinish() => Interlocked.Exchange(ref _finished, 1) == 0;

    /// <summary>The attempt's timeout, or null when it has none.</summary>
    public TimeSpan? Timeout => _timeout?.Timeout;

    /// <summary>Calls <paramref name="onTimeout"/> with this attempt once <paramref name="timeout"/> passes on <paramref name="time"/>.</summary>
    public void StartTimeout(TimeProvider time, TimeSpan timeout, Action<RunningJob> onTimeout)
    {
        // Kept off the attempt itself: most jobs have no timeout, and every attempt allocates a RunningJob.
        var state = new TimeoutState(this, onTimeout, timeout);
        _timeout = state;
        state.Timer = time.CreateTimer(static state => ((TimeoutState)state!).Fire(), state, timeout, System.Threading.Timeout.InfiniteTimeSpan);
    }

    /// <summary>Runs the attempt; the attempt is its own thread-pool work item, so queueing it allocates nothing.</summary>
    public void Execute() => _ = _executor.RunAsync(this);

    public void Dispose()
    {
        _timeout?.Timer?.Dispose();
        _cancellation.Dispose();
    }

    private sealed class TimeoutState(RunningJob job, Action<RunningJob> onTimeout, TimeSpan timeout)
    {
        public TimeSpan Timeout { get; } = timeout;

        public ITimer? Timer { get; set; }

        public void Fire() => onTimeout(job);
    }
}
