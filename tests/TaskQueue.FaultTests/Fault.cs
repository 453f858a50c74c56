namespace TaskQueue.FaultTests;

/// <summary>
/// One injected fault: when, which jobs it may make run twice, and the measured recovery time once its tracking task
/// ends. A killed or stopped worker may rerun exactly the jobs the store had leased to it (<see cref="InFlight"/>);
/// a server fault (restart, stall, refused writes) may rerun jobs in flight anywhere while it lasted, which the ledger
/// recognises by their first run finishing within the fault's window (<see cref="At"/> to <see cref="End"/>).
/// </summary>
internal sealed class Fault(string name, TimeSpan at, IReadOnlySet<string> inFlight, int concurrency, TimeSpan? end)
{
    public string Name { get; } = name;

    /// <summary>Since the drill started.</summary>
    public TimeSpan At { get; } = at;

    /// <summary>Ids the store showed running on the faulted worker right after the fault (empty for server faults).</summary>
    public IReadOnlySet<string> InFlight { get; } = inFlight;

    /// <summary>When a server fault ended (null for a worker fault).</summary>
    public TimeSpan? End { get; } = end;

    public bool IsServerFault => End is not null;

    /// <summary>Duplicates this fault explains (filled in by the ledger check).</summary>
    public int Explains { get; set; }

    /// <summary>The faulted worker's concurrency, or 0 for server faults.</summary>
    public int Concurrency { get; } = concurrency;

    public TimeSpan? Recovery { get; set; }

    /// <summary>What <see cref="Recovery"/> measures, for the summary.</summary>
    public string RecoveryMeaning { get; set; } = string.Empty;

    /// <summary>Sets <see cref="Recovery"/>; awaited by the ledger check.</summary>
    public Task Tracking { get; set; } = Task.CompletedTask;
}
