using System.Globalization;
using System.Text;

namespace TaskQueue.FaultTests;

/// <summary>What a ledger check found; <see cref="ToString"/> is the one-block report printed to the test output.</summary>
internal sealed record LedgerSummary
{
    public required string Drill { get; init; }

    public required int Enqueued { get; init; }

    /// <summary>Jobs whose stored state is Succeeded.</summary>
    public required int Completed { get; init; }

    /// <summary>Enqueued jobs that did not end Succeeded or whose run the ledger never saw.</summary>
    public required IReadOnlyList<string> Lost { get; init; }

    /// <summary>Finished runs in the ledger (every handler that returned, including runs whose success was not recorded).</summary>
    public required int Runs { get; init; }

    /// <summary>Jobs whose handler finished more than once.</summary>
    public required IReadOnlyList<string> Duplicates { get; init; }

    /// <summary>Duplicates no fault explains (neither leased to a killed/stopped worker nor first run within a server fault): must be empty.</summary>
    public required IReadOnlyList<string> UnexplainedDuplicates { get; init; }

    /// <summary>Ledger runs of ids never enqueued: must be 0.</summary>
    public required int ForeignRuns { get; init; }

    /// <summary>Successes the store counted (its daily processed counters): one per job, never two.</summary>
    public required long SuccessesRecorded { get; init; }

    public required IReadOnlyList<Fault> Faults { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>Jobs leased to killed or stopped workers at the fault: the bound on duplicates from worker faults.</summary>
    public int InFlightAtWorkerFaults => Faults.Where(f => !f.IsServerFault).Sum(f => f.InFlight.Count);

    public override string ToString()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"=== ledger: {Drill} ===");
        text.AppendLine(inv, $"enqueued   {Enqueued}");
        text.AppendLine(inv, $"completed  {Completed} (stored state Succeeded); successes recorded by the store {SuccessesRecorded}");
        text.AppendLine(inv, $"lost       {Lost.Count}{(Lost.Count > 0 ? " : " + string.Join(' ', Lost.Take(10)) : string.Empty)}");
        text.AppendLine(inv, $"runs       {Runs} (handlers that finished); foreign runs {ForeignRuns}");
        text.AppendLine(inv, $"duplicates {Duplicates.Count} (jobs run to the end twice or more); unexplained by a fault: {UnexplainedDuplicates.Count}{(UnexplainedDuplicates.Count > 0 ? " : " + string.Join(' ', UnexplainedDuplicates.Take(10)) : string.Empty)}");
        text.AppendLine(inv, $"           bound: {InFlightAtWorkerFaults} jobs leased to killed/stopped workers at their fault (each <= concurrency + unflushed completions); server faults: jobs in flight during the fault");
        foreach (var fault in Faults)
        {
            var inFlight = fault.IsServerFault
                ? string.Create(inv, $" (lasted {(fault.End!.Value - fault.At).TotalSeconds:0.0} s)")
                : string.Create(inv, $", {fault.InFlight.Count} in flight (concurrency {fault.Concurrency})");
            var recovery = fault.Recovery is { } r ? string.Create(inv, $"recovered in {r.TotalSeconds:0.00} s ({fault.RecoveryMeaning})") : "recovery not measured";
            text.AppendLine(inv, $"fault      +{fault.At.TotalSeconds:0.0} s {fault.Name}{inFlight}: {recovery}; {fault.Explains} duplicates");
        }

        text.Append(inv, $"elapsed    {Elapsed.TotalSeconds:0.0} s");
        return text.ToString();
    }

    /// <summary>The promise: nothing lost, no success recorded twice, and only jobs in flight at a fault run twice.</summary>
    public void AssertNothingLostAndOnlyInFlightJobsRanTwice()
    {
        Assert.True(Lost.Count == 0, $"lost jobs:\n{this}");
        Assert.Equal(Enqueued, Completed);
        Assert.Equal(Enqueued, SuccessesRecorded);
        Assert.Equal(0, ForeignRuns);
        Assert.True(UnexplainedDuplicates.Count == 0, $"jobs ran twice without being in flight at a fault:\n{this}");
        Assert.All(Faults.Where(f => !f.IsServerFault), f => Assert.True(f.Explains <= f.InFlight.Count, $"{f.Name} explains more duplicates than it had jobs in flight:\n{this}"));
        Assert.All(Faults, f => Assert.True(f.Recovery is not null, $"no recovery measured after {f.Name}:\n{this}"));
    }
}
