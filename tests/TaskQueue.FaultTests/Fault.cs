namespace TaskQueue.FaultTests;

/// <summary>
/// One injected fault: when, the jobs the store had leased to a killed or stopped worker at that moment (the only
/// jobs allowed to run twice), and the measured recovery time once its tracking task ends.
/// </summary>
internal sealed class Fault(string name, TimeSpan at, IReadOnlySet<string> inFlight, int concurrency)
{
    public string Name { get; } = name;

    /// <summary>Since the drill started.</summary>
    public TimeSpan At { get; } = at;

    /// <summary>Ids the store showed running on the faulted worker right after the fault (empty for server faults).</summary>
    public IReadOnlySet<string> InFlight { get; } = inFlight;

    /// <summary>The faulted worker's concurrency, or 0 for server faults.</summary>
    public int Concurrency { get; } = concurrency;

    public TimeSpan? Recovery { get; set; }

    /// <summary>What <see cref="Recovery"/> measures, for the summary.</summary>
    public string RecoveryMeaning { get; set; } = string.Empty;

    /// <summary>Sets <see cref="Recovery"/>; awaited by the ledger check.</summary>
    public Task Tracking { get; set; } = Task.CompletedTask;
}
