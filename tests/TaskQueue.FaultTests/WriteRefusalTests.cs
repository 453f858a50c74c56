using StackExchange.Redis;
using TaskQueue.Redis;
using TaskQueue.TestSupport;
using Xunit.Abstractions;

namespace TaskQueue.FaultTests;

/// <summary>
/// The store's Redis refusing writes while worker processes run: <c>maxmemory</c> reached with <c>noeviction</c>
/// (OOM), and a failed background save with <c>stop-writes-on-bgsave-error yes</c> (MISCONF). Enqueue must fail with
/// Redis's error; workers must log and back off, never drop an outcome.
/// </summary>
public sealed class WriteRefusalTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Refusal = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Maxmemory_with_noeviction_fails_enqueue_with_OOM_and_workers_back_off_until_redis_takes_writes()
    {
        await using var drill = await FaultDrill.StartAsync(output, "--maxmemory-policy", "noeviction");
        var worker = await StartAndLoadAsync(drill);
        var server = drill.Admin.GetServer(drill.Admin.GetEndPoints()[0]);

        var inFlight = await drill.RunningAsync();
        var started = drill.Ledger.Now;
        await server.ConfigSetAsync("maxmemory", "1");
        var error = await EnqueueRefusedAsync(drill);
        Assert.Contains("OOM", error.Message, StringComparison.Ordinal);
        await WaitForBackoffAsync(worker);
        inFlight.UnionWith(await drill.RunningAsync());
        await server.ConfigSetAsync("maxmemory", "0");
        drill.ServerFault($"maxmemory 1 + noeviction (OOM) for {Refusal.TotalSeconds:0} s+", started, inFlight);

        await drill.WaitUntilDrainedAsync(TimeSpan.FromSeconds(60));
        var summary = await drill.CheckAsync("write refusal: maxmemory with noeviction; 1 worker (concurrency 8), 400 jobs of 50 ms");
        summary.AssertNothingLostAndOnlyInFlightJobsRanTwice();
    }

    [Fact]
    public async Task Failed_background_save_fails_enqueue_with_MISCONF_and_workers_back_off_until_a_save_succeeds()
    {
        // dir is a protected setting since Redis 7; a save point makes stop-writes-on-bgsave-error (default yes) apply.
        await using var drill = await FaultDrill.StartAsync(output, "--enable-protected-configs", "yes", "--save", "3600 1", "--stop-writes-on-bgsave-error", "yes");
        var worker = await StartAndLoadAsync(drill);
        var server = drill.Admin.GetServer(drill.Admin.GetEndPoints()[0]);

        // As root no directory is unwritable; a directory deleted after Redis changed into it fails the save as well.
        var gone = Directory.CreateDirectory(Path.Combine(drill.StoreServer.Directory, "gone")).FullName;
        var inFlight = await drill.RunningAsync();
        var started = drill.Ledger.Now;
        await server.ConfigSetAsync("dir", gone);
        Directory.Delete(gone);
        await drill.ExecuteOnStoreAsync("BGSAVE");
        await Eventually.TrueAsync(async () => (await PersistenceAsync(drill)).Contains("rdb_last_bgsave_status:err", StringComparison.Ordinal), "the background save to fail", TimeSpan.FromSeconds(20));
        var error = await EnqueueRefusedAsync(drill);
        Assert.Contains("MISCONF", error.Message, StringComparison.Ordinal);
        await WaitForBackoffAsync(worker);
        inFlight.UnionWith(await drill.RunningAsync());

        await server.ConfigSetAsync("dir", drill.StoreServer.Directory);
        await drill.ExecuteOnStoreAsync("BGSAVE");
        await Eventually.TrueAsync(async () => (await PersistenceAsync(drill)).Contains("rdb_last_bgsave_status:ok", StringComparison.Ordinal), "a background save to succeed", TimeSpan.FromSeconds(20));
        drill.ServerFault($"failed BGSAVE (MISCONF) for {Refusal.TotalSeconds:0} s+", started, inFlight);

        await drill.WaitUntilDrainedAsync(TimeSpan.FromSeconds(60));
        var summary = await drill.CheckAsync("write refusal: MISCONF after a failed BGSAVE; 1 worker (concurrency 8), 400 jobs of 50 ms");
        summary.AssertNothingLostAndOnlyInFlightJobsRanTwice();
    }

    private static async Task<DrillWorker> StartAndLoadAsync(FaultDrill drill)
    {
        var worker = await drill.StartWorkerAsync(concurrency: 8);
        await drill.EnqueueAsync(400, milliseconds: 50);
        var ledger = drill.LedgerConnection.GetDatabase();
        await Eventually.TrueAsync(async () => await ledger.ListLengthAsync(Ledger.DoneKey) >= 20, "the first jobs to run", TimeSpan.FromSeconds(20));
        return worker;
    }

    /// <summary>An enqueue while writes are refused: must throw Redis's error, saying the command was sent (not "nothing stored").</summary>
    private static async Task<RedisJobStoreException> EnqueueRefusedAsync(FaultDrill drill)
    {
        var error = await Assert.ThrowsAsync<RedisJobStoreException>(() => drill.EnqueueOnceAsync());
        Assert.Contains("Redis rejected the command", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsConnectionFailure);
        return error;
    }

    /// <summary>The worker logs its refused store calls and retries them with backoff for the whole refusal.</summary>
    private static async Task WaitForBackoffAsync(DrillWorker worker)
    {
        await Eventually.TrueAsync(() => Task.FromResult(worker.Output.Contains("failed; retrying in", StringComparison.Ordinal)), "the worker to log a refused store call and back off", TimeSpan.FromSeconds(20));
        await Task.Delay(Refusal);
        Assert.False(worker.HasExited, worker.Output);
    }

    private static async Task<string> PersistenceAsync(FaultDrill drill)
        => (await drill.ExecuteOnStoreAsync("INFO", "persistence")).ToString();
}
