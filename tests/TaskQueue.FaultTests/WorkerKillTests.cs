using Xunit.Abstractions;

namespace TaskQueue.FaultTests;

/// <summary>Worker processes killed with SIGKILL at random moments of a run, each replaced by a new one.</summary>
public sealed class WorkerKillTests(ITestOutputHelper output)
{
    private const int Kills = 5;

    [Fact]
    public async Task Random_kill_9_of_workers_loses_no_job_and_only_jobs_in_flight_at_a_kill_run_twice()
    {
        await using var drill = await FaultDrill.StartAsync(output);
        for (var i = 0; i < 3; i++)
        {
            await drill.StartWorkerAsync(concurrency: 8);
        }

        await drill.EnqueueAsync(6000, milliseconds: 50);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"random seed {seed}");
        for (var kill = 0; kill < Kills; kill++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1000, 2500)));
            var alive = drill.Workers.Where(w => !w.HasExited).ToList();
            await drill.KillAsync(alive[random.Next(alive.Count)]);
            await drill.StartWorkerAsync(concurrency: 8);
        }

        await drill.WaitUntilDrainedAsync(TimeSpan.FromSeconds(120));
        var summary = await drill.CheckAsync("random kill -9 of 3 workers (concurrency 8, lease 3 s), 6000 jobs of 50 ms");

        summary.AssertNothingLostAndOnlyInFlightJobsRanTwice();
        Assert.Equal(Kills, summary.Faults.Count);

        // Generous: lease (3 s) + recovery interval (0.5 s) + retry backoff (0.2 s) + a slow machine.
        Assert.All(summary.Faults, f => Assert.True(f.Recovery < TimeSpan.FromSeconds(30), f.Name));
    }
}
