using Xunit.Abstractions;

namespace TaskQueue.FaultTests;

/// <summary>
/// The store's connections dropped (<c>CLIENT KILL</c>) and the server stalled (<c>DEBUG SLEEP</c>, shorter and longer
/// than the 3 s lease) while worker processes run.
/// </summary>
public sealed class ConnectionFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Client_kill_and_debug_sleep_stalls_lose_no_job_and_only_jobs_in_flight_at_a_long_stall_run_twice()
    {
        await using var drill = await FaultDrill.StartAsync(output, "--enable-debug-command", "yes");
        for (var i = 0; i < 2; i++)
        {
            await drill.StartWorkerAsync(concurrency: 8);
        }

        await drill.EnqueueAsync(5000, milliseconds: 20);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var started = drill.Ledger.Now;

        // Every client connection: the workers' commands and their pub/sub subscriptions (and the test's own).
        await drill.ExecuteOnStoreAsync("CLIENT", "KILL", "TYPE", "pubsub");
        await drill.ExecuteOnStoreAsync("CLIENT", "KILL", "TYPE", "normal");
        drill.ServerFault("CLIENT KILL TYPE pubsub + normal (every connection)", started);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // A stall shorter than the lease: heartbeats get through after it, so nothing may run twice.
        started = drill.Ledger.Now;
        await drill.ExecuteOnStoreAsync("DEBUG", "SLEEP", "1");
        drill.ServerFault("DEBUG SLEEP 1 (server stalled 1 s, lease 3 s)", started);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // A stall longer than the lease: leases expire during it, so the jobs running then may run again.
        var inFlight = await drill.RunningAsync();
        started = drill.Ledger.Now;
        await drill.ExecuteOnStoreAsync("DEBUG", "SLEEP", "4");
        drill.ServerFault("DEBUG SLEEP 4 (server stalled 4 s, past the 3 s lease)", started, inFlight);

        await drill.WaitUntilDrainedAsync(TimeSpan.FromSeconds(90));
        var summary = await drill.CheckAsync("CLIENT KILL and DEBUG SLEEP; 2 workers (concurrency 8), 5000 jobs of 20 ms");

        summary.AssertNothingLostAndOnlyInFlightJobsRanTwice();
        Assert.All(summary.Faults, f => Assert.True(f.Recovery < TimeSpan.FromSeconds(30), f.Name));
        Assert.All(drill.Workers, w => Assert.False(w.HasExited, w.Output));
    }
}
