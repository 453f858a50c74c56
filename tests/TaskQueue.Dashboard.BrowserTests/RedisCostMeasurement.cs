using System.Globalization;
using StackExchange.Redis;
using TaskQueue.TestSupport;
using Xunit.Abstractions;

namespace TaskQueue.Dashboard.BrowserTests;

/// <summary>
/// Measures what one open dashboard costs Redis (docs/benchmarks.md, "Dashboard"): a redis-server of its own on a
/// free loopback port, an app that only serves the dashboard (no worker), 60 s idle, then 60 s with the overview page
/// polling; Redis CPU from INFO cpu and the commands from INFO commandstats. Runs only with
/// TASKQUEUE_MEASURE_DASHBOARD=1 (two minutes); otherwise it returns at once.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RedisCostMeasurement(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Measure_redis_cpu_of_one_open_dashboard()
    {
        if (Environment.GetEnvironmentVariable("TASKQUEUE_MEASURE_DASHBOARD") != "1")
        {
            return;
        }

        await using var server = await RedisServerProcess.StartAsync([]);
        await using var app = await DashboardApp.StartAsync(server.EndPoint, runWorker: false);
        for (var i = 0; i < 50; i++)
        {
            await Jobs.Notify.EnqueueAsync(app.Client, $"user{i}", "hello");
            await Jobs.Greet.EnqueueAsync(app.Client, $"user{i}", 1);
        }

        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",allowAdmin=true");
        var redis = admin.GetServer(server.EndPoint);

        var idle = await MeasureAsync(redis, () => Task.Delay(Window));
        var page = await browser.NewPageAsync(app.BaseUrl, apiKey: DashboardApp.FullKey);
        await page.GotoAsync("/taskqueue/");
        await Assertions.Expect(page.Locator("[data-metric='pending'] .value")).ToHaveTextAsync("100");
        var open = await MeasureAsync(redis, () => Task.Delay(Window));
        await browser.ClosePagesAsync();

        output.WriteLine($"redis-server pid {server.ProcessId} on {server.EndPoint}, {Window.TotalSeconds} s each");
        output.WriteLine($"idle app:       {idle}");
        output.WriteLine($"dashboard open: {open}");
        output.WriteLine($"dashboard cost: {(open.CpuSeconds - idle.CpuSeconds) / Window.TotalSeconds * 100:0.000} % of one core");
    }

    private static async Task<Sample> MeasureAsync(IServer redis, Func<Task> during)
    {
        await redis.ExecuteAsync("CONFIG", "RESETSTAT");
        var before = Cpu(await redis.InfoAsync("cpu"));
        await during();
        var after = Cpu(await redis.InfoAsync("cpu"));
        var commands = await redis.InfoAsync("commandstats");
        long calls = 0;
        long usec = 0;
        var top = new List<string>();
        foreach (var entry in commands.SelectMany(g => g))
        {
            // cmdstat_evalsha: calls=120,usec=2400,usec_per_call=20.00,...
            var fields = entry.Value.Split(',').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
            var c = long.Parse(fields["calls"], CultureInfo.InvariantCulture);
            var u = long.Parse(fields["usec"], CultureInfo.InvariantCulture);
            if (entry.Key.StartsWith("cmdstat_config", StringComparison.Ordinal) || entry.Key == "cmdstat_info")
            {
                continue; // the measurement's own commands
            }

            calls += c;
            usec += u;
            top.Add($"{entry.Key[8..]}={c}");
        }

        return new Sample(after - before, calls, usec, string.Join(" ", top));
    }

    private static double Cpu(IGrouping<string, KeyValuePair<string, string>>[] info)
    {
        var values = info.SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        return double.Parse(values["used_cpu_user"], CultureInfo.InvariantCulture) + double.Parse(values["used_cpu_sys"], CultureInfo.InvariantCulture);
    }

    private sealed record Sample(double CpuSeconds, long Calls, long CommandMicroseconds, string Commands)
    {
        public override string ToString()
            => $"Redis CPU {CpuSeconds:0.000} s, {Calls} commands taking {CommandMicroseconds / 1000.0:0.0} ms in total ({Commands})";
    }
}
