using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests;

/// <summary>
/// samples/WebApp as a user runs it (its own process, on Redis): the burst endpoint enqueues through the generated
/// proxies, the worker runs the jobs, Prometheus scrapes TaskQueue's instruments from /metrics, and the dashboard
/// page and API answer with the configured key.
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class WebAppSampleTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Sample_runs_jobs_on_redis_and_exposes_metrics_for_prometheus_and_the_dashboard()
    {
        var port = FreePort();
        var address = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", [RepositoryPaths.SampleDll("WebApp", "TaskQueue.SampleWebApp.dll"), "--urls", address])
        {
            WorkingDirectory = Path.Combine(RepositoryPaths.Root, "samples", "WebApp"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["TaskQueue__Redis__ConnectionString"] = $"{redis.ConnectionString},keyPrefix={RedisServerFixture.NewKeyPrefix()}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        var output = new StringBuilder();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };
            await UntilAsync(async () => (await TryGetAsync(http, "/taskqueue/api/v1/health"))?.StatusCode == HttpStatusCode.OK, output);

            var burst = await http.PostAsync("/demo/burst?count=20", content: null);
            Assert.True(burst.IsSuccessStatusCode, await burst.Content.ReadAsStringAsync());
            string metrics = string.Empty;
            await UntilAsync(async () =>
            {
                metrics = await (await http.GetAsync("/metrics")).Content.ReadAsStringAsync();
                return metrics.Contains("taskqueue_queue_jobs", StringComparison.Ordinal)
                    && metrics.Contains("messaging_process_duration_seconds_count", StringComparison.Ordinal);
            }, output);

            Assert.Contains("messaging_client_sent_messages", metrics, StringComparison.Ordinal);
            Assert.Contains("taskqueue_worker_running_jobs", metrics, StringComparison.Ordinal);
            using var stats = new HttpRequestMessage(HttpMethod.Get, "/taskqueue/api/v1/stats");
            stats.Headers.Add("X-TaskQueue-Key", "dev-key-change-me");
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(stats)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/taskqueue/api/v1/stats")).StatusCode);
            Assert.Contains("text/html", (await http.GetAsync("/taskqueue/")).Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<HttpResponseMessage?> TryGetAsync(HttpClient http, string path)
    {
        try
        {
            return await http.GetAsync(path);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, StringBuilder output)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                lock (output)
                {
                    Assert.Fail("the sample did not get there within 60 s; its output:\n" + output);
                }
            }

            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
