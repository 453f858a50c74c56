using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskQueue.Admin;
using TaskQueue.Hosting;
using TaskQueue.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.Tests;

/// <summary>Which store an app under test uses.</summary>
public enum StoreKind
{
    Memory,
    Redis,
}

/// <summary>
/// A real ASP.NET Core app on Kestrel (127.0.0.1, port 0) with TaskQueue, the test jobs, the API mapped at
/// <c>/taskqueue</c> and the OpenAPI document at <c>/openapi/v1.json</c>, on the in-memory store or a real Redis.
/// </summary>
public sealed class ApiApp : IAsyncDisposable
{
    public const string FullKey = "full-key-0123456789";
    public const string ReadOnlyKey = "read-only-key-0123456789";
    public const string Api = "/taskqueue/api/v1";

    private ApiApp(WebApplication app, HttpClient http, CapturingLoggerProvider logs)
    {
        App = app;
        Http = http;
        Logs = logs;
    }

    public WebApplication App { get; }

    /// <summary>A client with no key; use <see cref="SendAsync"/> to send one.</summary>
    public HttpClient Http { get; }

    public CapturingLoggerProvider Logs { get; }

    public IJobAdmin Admin => App.Services.GetRequiredService<IJobAdmin>();

    public IJobStore Store => App.Services.GetRequiredService<IJobStore>();

    public static async Task<ApiApp> StartAsync(
        StoreKind store,
        RedisServerFixture? redis = null,
        Action<TaskQueueDashboardOptions>? dashboard = null,
        bool runWorker = false,
        string listen = "127.0.0.1",
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? configureApp = null,
        string? redisConnectionString = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Parse(listen), 0));
        builder.Services.AddTaskQueue(o =>
        {
            o.RunWorker = runWorker;
            o.Worker.Queues = [ApiJobs.MailQueue, ApiJobs.OrdersQueue, ApiJobs.ReportsQueue, ApiJobs.FailingQueue];
            o.Worker.PollInterval = TimeSpan.FromMilliseconds(50);
            o.Worker.ShutdownDrainTime = TimeSpan.FromSeconds(1);
            if (store == StoreKind.Redis)
            {
                o.UseRedis(r =>
                {
                    r.ConnectionString = redisConnectionString ?? redis!.ConnectionString;
                    r.KeyPrefix = RedisServerFixture.NewKeyPrefix();
                });
            }
        });
        builder.Services.AddTaskQueueDashboardTestsJobs();
        builder.Services.AddTaskQueueDashboard(o =>
        {
            o.ApiKeys.Add(FullKey);
            o.ReadOnlyApiKeys.Add(ReadOnlyKey);
            dashboard?.Invoke(o);
        });
        builder.Services.AddOpenApi();
        configureBuilder?.Invoke(builder);
        var app = builder.Build();
        configureApp?.Invoke(app);
        app.MapOpenApi();
        app.MapTaskQueue("/taskqueue");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)), Timeout = TimeSpan.FromSeconds(30) };
        return new ApiApp(app, http, logs);
    }

    /// <summary>Sends a request with <paramref name="key"/> in the API key header (none when null).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key = FullKey, string? json = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add(TaskQueueDashboardOptions.ApiKeyHeader, key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        configure?.Invoke(request);
        return Http.SendAsync(request);
    }

    public async Task<JsonNode> GetJsonAsync(string path, string? key = FullKey)
    {
        using var response = await SendAsync(HttpMethod.Get, path, key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Pending + scheduled + retrying + active + dead of every queue the tests use: zero means nothing was stored.</summary>
    public async Task<long> StoredJobsAsync()
    {
        long total = 0;
        foreach (var queue in new[] { ApiJobs.MailQueue, ApiJobs.OrdersQueue, ApiJobs.ReportsQueue, ApiJobs.FailingQueue, "other-queue" })
        {
            var stats = await Admin.GetQueueStatsAsync(queue);
            total += stats.Pending + stats.Scheduled + stats.Retrying + stats.Active + stats.Dead;
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>A problem details body, read loosely.</summary>
public sealed record Problem(int Status, string? Title, string? Detail, string? Field, string? JsonPath)
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{(int)response.StatusCode}: expected problem details, got {response.Content.Headers.ContentType}: {text}");
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        string? Get(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return new Problem(root.GetProperty("status").GetInt32(), Get("title"), Get("detail"), Get("field"), Get("jsonPath"));
    }
}

/// <summary>Keeps every log line, for start-up warning tests.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<(LogLevel Level, string Category, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToArray();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._entries)
            {
                owner._entries.Add((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
