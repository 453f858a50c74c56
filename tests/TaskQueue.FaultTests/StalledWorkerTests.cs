using StackExchange.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit.Abstractions;

namespace TaskQueue.FaultTests;

/// <summary>A worker frozen with SIGSTOP past its lease while it runs a job, then resumed with SIGCONT.</summary>
public sealed class StalledWorkerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Worker_stopped_past_its_lease_finishes_late_and_its_completion_is_fenced_while_the_job_ran_again_elsewhere()
    {
        await using var drill = await FaultDrill.StartAsync(output);
        var stalled = await drill.StartWorkerAsync(concurrency: 1);
        var id = (await drill.EnqueueAsync(1, milliseconds: 2000))[0];
        await Eventually.TrueAsync(async () => (await drill.LeasedToAsync(stalled)).Contains(id.Value), "the job to run on the first worker", TimeSpan.FromSeconds(20));

        // Frozen mid-handler: no heartbeat, so its 3 s lease expires and the job is recovered for another worker.
        var fault = await drill.SuspendAsync(stalled);
        Assert.Equal([id.Value], fault.InFlight);
        var other = await drill.StartWorkerAsync(concurrency: 4);
        await drill.EnqueueAsync(200, milliseconds: 10);
        await Eventually.TrueAsync(async () => (await drill.Store.GetJobAsync(FaultDrill.Queue, id))?.State == JobState.Succeeded, "the job to succeed on the other worker", TimeSpan.FromSeconds(30));
        var recorded = await drill.Store.GetJobAsync(FaultDrill.Queue, id);

        // Resumed: its handler ignores cancellation, finishes and reports a success the store must reject.
        stalled.Continue();
        var ledger = drill.LedgerConnection.GetDatabase();
        await Eventually.TrueAsync(async () => (await RunsOfAsync(ledger, id)).Count == 2, "the stalled worker's late run to finish", TimeSpan.FromSeconds(20));
        await drill.WaitUntilDrainedAsync(TimeSpan.FromSeconds(60));
        var summary = await drill.CheckAsync("SIGSTOP past the lease, then SIGCONT; 1 slow job + 200 jobs");

        summary.AssertNothingLostAndOnlyInFlightJobsRanTwice();
        Assert.Equal([id.Value], summary.Duplicates);
        var runs = await RunsOfAsync(ledger, id);
        Assert.Equal([$"{id} 2 {other.Id}", $"{id} 1 {stalled.Id}"], runs.Select(r => string.Join(' ', r.Split(' ')[..3])));

        // The late completion changed nothing: still attempt 2's success, counted once.
        var final = await drill.Store.GetJobAsync(FaultDrill.Queue, id);
        Assert.Equal(JobState.Succeeded, final!.State);
        Assert.Equal(2, final.Attempt);
        Assert.Equal(recorded!.FinishedAt, final.FinishedAt);
        await Eventually.TrueAsync(() => Task.FromResult(stalled.Output.Contains("lease is no longer current", StringComparison.Ordinal) || stalled.Output.Contains("lost its lease", StringComparison.Ordinal)), "the stalled worker to log that it lost its lease", TimeSpan.FromSeconds(10));
        output.WriteLine(stalled.Output);
    }

    private static async Task<List<string>> RunsOfAsync(IDatabase ledger, JobId id)
        => [.. (await ledger.ListRangeAsync(Ledger.DoneKey)).Select(e => (string)e!).Where(e => e.StartsWith(id.Value + " ", StringComparison.Ordinal))];
}
