using System.Diagnostics;
using System.Globalization;
using TaskQueue.Redis;
using TaskQueue.Scheduling;

namespace TaskQueue.Benchmarks;

/// <summary>
/// What idle recurring schedules cost: <c>idle-schedules [--schedules 1000] [--schedulers 0,1,3] [--queues 1] [--seconds 60]</c>.
/// Starts its own redis-server on a free loopback port, creates the schedules (none falls due while measuring), runs
/// each number of schedulers (each on its own connection, as separate worker processes would) for a warm-up of 5 s,
/// then counts Redis commands (INFO commandstats) and Redis CPU (INFO cpu, user + sys) over the measured time, and
/// the CPU this process spent (the schedulers and their connections). Prints one Markdown row per scheduler count;
/// 0 schedulers is the baseline (an idle redis-server with the harness's admin connection).
/// </summary>
internal static class IdleSchedulesWorkload
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var schedules = int.Parse(Arg("--schedules") ?? "1000", CultureInfo.InvariantCulture);
        var queues = int.Parse(Arg("--queues") ?? "1", CultureInfo.InvariantCulture);
        var seconds = int.Parse(Arg("--seconds") ?? "60", CultureInfo.InvariantCulture);
        var counts = (Arg("--schedulers") ?? "0,1,3").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

        await using var server = await RedisServer.StartAsync(appendOnly: false);
        Console.WriteLine($"idle-schedules: {schedules} schedules in {queues} queue(s), redis-server 127.0.0.1:{server.Port} (pid-owned by this run), {seconds} s per measurement");
        Console.WriteLine("| schedulers | Redis commands / min | by command | Redis CPU ms / min | scheduler process CPU ms / min |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var schedulerCount in counts)
        {
            await server.FlushAllAsync();
            await using (var setup = await RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = server.Endpoint, KeyPrefix = "bench" }))
            {
                var client = new RecurringJobClient(setup);
                for (var i = 0; i < schedules; i++)
                {
                    // Minute and hour vary, all on 1 January: none falls due during the run.
                    await client.UpsertAsync(new RecurringSchedule
                    {
                        Name = "s" + i.ToString(CultureInfo.InvariantCulture),
                        Cron = $"{i % 60} {i / 60 % 24} 1 1 *",
                        JobName = "Idle",
                        Queue = "q" + (i % queues).ToString(CultureInfo.InvariantCulture),
                    });
                }
            }

            var stores = new List<RedisJobStore>();
            using var stop = new CancellationTokenSource();
            var loops = new List<Task>();
            for (var i = 0; i < schedulerCount; i++)
            {
                var store = await RedisJobStore.ConnectAsync(new RedisJobStoreOptions { ConnectionString = server.Endpoint, KeyPrefix = "bench" });
                stores.Add(store);
                loops.Add(new RecurringScheduler(store).RunAsync(stop.Token));
            }

            await Task.Delay(TimeSpan.FromSeconds(5));
            await server.Admin.GetDatabase().ExecuteAsync("CONFIG", "RESETSTAT");
            var before = await server.ReadCountersAsync();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var after = await server.ReadCountersAsync();
            var cpuAfter = Process.GetCurrentProcess().TotalProcessorTime;
            await stop.CancelAsync();
            await Task.WhenAll(loops);
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            var perMinute = 60.0 / seconds;
            // CONFIG RESETSTAT is the harness's own call.
            var calls = after.Calls.Where(c => !c.Key.StartsWith("config", StringComparison.Ordinal)).ToList();
            var total = calls.Sum(c => c.Value) * perMinute;
            var byCommand = string.Join(", ", calls.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value * perMinute:0}"));
            var redisCpu = (after.CpuSeconds - before.CpuSeconds) * 1000 * perMinute;
            var processCpu = (cpuAfter - cpuBefore).TotalMilliseconds * perMinute;
            Console.WriteLine($"| {schedulerCount} ({queues} queue{(queues == 1 ? "" : "s")}) | {total:0} | {byCommand} | {redisCpu:0.0} | {processCpu:0.0} |");
        }

        return 0;
    }
}
