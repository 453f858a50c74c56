using Xunit.Abstractions;

namespace TaskQueue.FaultTests;

/// <summary>
/// The job store's redis-server killed with SIGKILL mid-run (while jobs are enqueued and processed) and restarted
/// from its append-only file.
/// </summary>
public sealed class RedisRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Redis_restart_with_appendfsync_always_loses_no_acknowledged_job()
    {
        var (drill, summary, _) = await RunAsync("always");
        await using (drill)
        {
            summary.AssertNothingLostAndOnlyInFlightJobsRanTwice();
            Assert.True(summary.Faults[0].Recovery < TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Redis_restart_with_appendfsync_everysec_loses_at_most_the_jobs_acknowledged_in_the_last_two_seconds()
    {
        var (drill, summary, window) = await RunAsync("everysec");
        await using (drill)
        {
            // Redis's documented everysec risk: writes acknowledged in the last ~2 s may be lost; nothing older.
            Assert.All(summary.Lost, id => Assert.Contains(id, window));
            Assert.Equal(summary.Enqueued, summary.Completed + summary.Lost.Count);
            Assert.Equal(0, summary.ForeignRuns);
            Assert.True(summary.Faults[0].Recovery < TimeSpan.FromSeconds(30));
            output.WriteLine($"everysec: {summary.Lost.Count} of {window.Count} jobs acknowledged in the 2 s before the kill were lost");
        }
    }

    private async Task<(FaultDrill Drill, LedgerSummary Summary, IReadOnlySet<string> Window)> RunAsync(string fsync)
    {
        var drill = await FaultDrill.StartAsync(output, "--appendonly", "yes", "--appendfsync", fsync);
        try
        {
            for (var i = 0; i < 2; i++)
            {
                await drill.StartWorkerAsync(concurrency: 8);
            }

            await drill.EnqueueAsync(2000, milliseconds: 20);

            // A producer keeps enqueuing through the outage (re-sending a batch whose outcome is unknown: same ids).
            using var stopProducing = new CancellationTokenSource();
            var producer = Task.Run(async () =>
            {
                for (var batch = 0; batch < 200 && !stopProducing.IsCancellationRequested; batch++)
                {
                    await drill.EnqueueAsync(50, milliseconds: 20, batchSize: 50);
                    await Task.Delay(50);
                }
            });

            await Task.Delay(TimeSpan.FromSeconds(2));
            var inFlight = await drill.RunningAsync();
            var killedAt = DateTimeOffset.UtcNow;
            var started = drill.Ledger.Now;
            drill.StoreServer.Kill();
            var window = drill.Ledger.EnqueuedWithin(TimeSpan.FromSeconds(2), killedAt);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await drill.StoreServer.RestartAsync();
            drill.ServerFault($"redis-server kill -9, down 1 s, restarted (appendfsync {fsync})", started, inFlight);
            inFlight.UnionWith(await drill.RunningAsync()); // what the restarted server still shows leased
            await Task.Delay(TimeSpan.FromSeconds(1));
            await stopProducing.CancelAsync();
            await producer.WaitAsync(TimeSpan.FromSeconds(60));

            await drill.WaitUntilDrainedAsync(TimeSpan.FromSeconds(90), everyJobRuns: fsync == "always");
            var summary = await drill.CheckAsync($"redis-server restart, appendonly yes, appendfsync {fsync}; 2 workers (concurrency 8), {drill.Ledger.EnqueuedCount} jobs of 20 ms");
            return (drill, summary, window);
        }
        catch
        {
            await drill.DisposeAsync();
            throw;
        }
    }
}
