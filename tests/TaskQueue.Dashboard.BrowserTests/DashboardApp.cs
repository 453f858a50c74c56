using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskQueue.Admin;
using TaskQueue.Client;
using TaskQueue.Hosting;
using TaskQueue.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.BrowserTests;

/// <summary>
/// The app under test: ASP.NET Core on a real Kestrel (127.0.0.1, port 0) over the fixture's real redis-server, with a
/// key prefix of its own, the browser jobs, a worker that serves the work and failing queues (never the waiting one),
/// and the dashboard at <c>/taskqueue/</c>.
/// </summary>
public sealed class DashboardApp : IAsyncDisposable
{
    public const string FullKey = "browser-full-key-0123456789";
    public const string ReadOnlyKey = "browser-read-only-key-0123456789";

    private DashboardApp(WebApplication app, string baseUrl)
    {
        App = app;
        BaseUrl = baseUrl;
    }

    public WebApplication App { get; }

    /// <summary>http://127.0.0.1:port</summary>
    public string BaseUrl { get; }

    public string DashboardUrl => BaseUrl + "/taskqueue/";

    public IJobAdmin Admin => App.Services.GetRequiredService<IJobAdmin>();

    public IJobClient Client => App.Services.GetRequiredService<IJobClient>();

    public static Task<DashboardApp> StartAsync(RedisServerFixture redis) => StartAsync(redis.ConnectionString, runWorker: true);

    /// <param name="connectionString">The Redis to use.</param>
    /// <param name="runWorker">False for an app that only serves the dashboard (nothing else then talks to Redis).</param>
    /// <param name="dashboard">More dashboard settings (e.g. a host authorization policy).</param>
    /// <param name="configureBuilder">The host's own services (e.g. authentication).</param>
    /// <param name="configureApp">The host's own endpoints and middleware, before the dashboard is mapped.</param>
    public static async Task<DashboardApp> StartAsync(
        string connectionString,
        bool runWorker,
        Action<TaskQueueDashboardOptions>? dashboard = null,
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? configureApp = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddTaskQueue(o =>
        {
            o.RunWorker = runWorker;
            o.Worker.Queues = [BrowserJobs.WorkQueue, BrowserJobs.FailingQueue];
            o.Worker.PollInterval = TimeSpan.FromMilliseconds(100);
            o.Worker.ShutdownDrainTime = TimeSpan.FromSeconds(1);
            o.UseRedis(r =>
            {
                r.ConnectionString = connectionString;
                r.KeyPrefix = RedisServerFixture.NewKeyPrefix();
            });
        });
        builder.Services.AddTaskQueueDashboardBrowserTestsJobs();
        builder.Services.AddTaskQueueDashboard(o =>
        {
            o.ApiKeys.Add(FullKey);
            o.ReadOnlyApiKeys.Add(ReadOnlyKey);
            dashboard?.Invoke(o);
        });
        configureBuilder?.Invoke(builder);
        var app = builder.Build();
        configureApp?.Invoke(app);
        app.MapTaskQueue("/taskqueue");
        await app.StartAsync();
        if (app.Services.GetRequiredService<IJobStore>() is IJobStoreStartup store)
        {
            await store.WaitUntilAvailableAsync(CancellationToken.None);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardApp(app, address.TrimEnd('/'));
    }

    /// <summary>Waits until the queue's counts satisfy <paramref name="condition"/>, for up to 15 s.</summary>
    public async Task<QueueStats> WaitForAsync(string queue, Func<QueueStats, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var stats = await Admin.GetQueueStatsAsync(queue);
            if (condition(stats))
            {
                return stats;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Queue {queue} did not reach the expected counts within 15 s: {stats}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
