namespace TaskQueue.Storage;

/// <summary>The state of one queue inside the in-memory store; only touched under the store's lock.</summary>
internal sealed class InMemoryQueue
{
    private static readonly Comparer<InMemoryJobRecord> s_byDueAt = Comparer<InMemoryJobRecord>.Create(static (a, b) =>
    {
        var c = a.DueAt.CompareTo(b.DueAt);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    private static readonly Comparer<InMemoryJobRecord> s_byFinishedAt = Comparer<InMemoryJobRecord>.Create(static (a, b) =>
    {
        var c = Nullable.Compare(a.FinishedAt, b.FinishedAt);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    private readonly Dictionary<DateOnly, DayCounters> _days = [];
    private TaskCompletionSource _signal = NewSignal();

    public InMemoryQueue(string name)
    {
        Name = name;
        Ready = new LinkedList<InMemoryJobRecord>[4];
        for (var i = 0; i < Ready.Length; i++)
        {
            Ready[i] = new LinkedList<InMemoryJobRecord>();
        }
    }

    public string Name { get; }

    /// <summary>True once a job was enqueued (only such queues are listed).</summary>
    public bool HasReceivedJobs { get; set; }

    public bool Paused { get; set; }

    /// <summary>Every job the queue still remembers, by id.</summary>
    public Dictionary<JobId, InMemoryJobRecord> Jobs { get; } = [];

    /// <summary>One FIFO list per <see cref="Priority"/>, indexed by its value.</summary>
    public LinkedList<InMemoryJobRecord>[] Ready { get; }

    public SortedSet<InMemoryJobRecord> Scheduled { get; } = new(s_byDueAt);

    public Dictionary<JobId, InMemoryJobRecord> Active { get; } = [];

    public SortedSet<InMemoryJobRecord> Dead { get; } = new(s_byFinishedAt);

    public Dictionary<string, IdempotencyEntry> IdempotencyKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Succeeded and cancelled jobs in the order they finished, for retention.</summary>
    public Queue<InMemoryJobRecord> Finished { get; } = new();

    /// <summary>When expired idempotency keys are swept next.</summary>
    public DateTimeOffset NextKeySweep { get; set; }

    public int ReadyCount => Ready[0].Count + Ready[1].Count + Ready[2].Count + Ready[3].Count;

    /// <summary>The task that completes at the next <see cref="Signal"/>.</summary>
    public Task SignalTask => _signal.Task;

    /// <summary>Wakes every waiter of this queue.</summary>
    public void Signal()
    {
        var old = _signal;
        _signal = NewSignal();
        old.TrySetResult();
    }

    public void CountProcessed(DateTimeOffset now) => Day(now).Processed++;

    public void CountFailed(DateTimeOffset now) => Day(now).Failed++;

    public void CountDeferred(DateTimeOffset now) => Day(now).Deferred++;

    /// <summary>The counters of one UTC day (zero when nothing was counted that day).</summary>
    public DayCounters CountersOn(DateOnly day) => _days.TryGetValue(day, out var counters) ? counters : new DayCounters();

    /// <summary>Today's counters, created on first use; days older than the kept window are forgotten then.</summary>
    private DayCounters Day(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (!_days.TryGetValue(today, out var counters))
        {
            counters = new DayCounters();
            _days[today] = counters;
            _days.Keys.Where(d => d.DayNumber <= today.DayNumber - Admin.DailyTotals.MaxDays).ToList().ForEach(d => _days.Remove(d));
        }

        return counters;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Which job holds an idempotency key, and until when (null: until the job finishes).</summary>
internal readonly record struct IdempotencyEntry(JobId Id, DateTimeOffset? ExpiresAt);

/// <summary>Attempts counted on one UTC day.</summary>
internal sealed class DayCounters
{
    public long Processed { get; set; }

    public long Failed { get; set; }

    public long Deferred { get; set; }
}
