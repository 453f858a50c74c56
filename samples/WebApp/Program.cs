// An ASP.NET Core app that enqueues jobs, runs them, and maps the TaskQueue dashboard and HTTP API.
//   dotnet run --project samples/WebApp                                                 in-memory store
//   TaskQueue__Redis__ConnectionString=localhost:6379 dotnet run --project samples/WebApp   on Redis
// The dashboard is at http://localhost:5080/taskqueue/ ; the API key is TaskQueue:Dashboard:ApiKey (appsettings.json).
// Prometheus scrapes http://localhost:5080/metrics; traces and metrics also go to an OTLP collector when
// OTEL_EXPORTER_OTLP_ENDPOINT is set (e.g. http://localhost:4317).
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SampleWebApp;
using TaskQueue.Dashboard;
using TaskQueue.Hosting;
using TaskQueue.Redis;

var builder = WebApplication.CreateBuilder(args);
var redis = builder.Configuration.GetSection("TaskQueue:Redis");
builder.Services.AddTaskQueue(o =>
{
    if (!string.IsNullOrWhiteSpace(redis["ConnectionString"]))
    {
        o.UseRedis(redis);
    }
});
builder.Services.AddTaskQueueSampleWebAppJobs();

var dashboard = builder.Configuration.GetSection("TaskQueue:Dashboard");
var apiKey = dashboard["ApiKey"];
builder.Services.AddTaskQueueDashboard(o =>
{
    if (!string.IsNullOrWhiteSpace(apiKey))
    {
        o.ApiKeys.Add(apiKey);
    }

    if (dashboard["ReadOnlyApiKey"] is { Length: > 0 } readOnlyKey)
    {
        o.ReadOnlyApiKeys.Add(readOnlyKey);
    }
});

// TaskQueue's spans and instruments: Prometheus always, OTLP when a collector is configured.
var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics =>
    {
        metrics.AddTaskQueueInstrumentation().AddPrometheusExporter();
        if (otlp)
        {
            metrics.AddOtlpExporter();
        }
    })
    .WithTracing(tracing =>
    {
        tracing.AddTaskQueueInstrumentation();
        if (otlp)
        {
            tracing.AddOtlpExporter();
        }
    });

var app = builder.Build();
app.MapDemo();
app.MapPrometheusScrapingEndpoint();
app.MapTaskQueue("/taskqueue");

app.Lifetime.ApplicationStarted.Register(() =>
{
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
    Console.WriteLine($"TaskQueue web app sample ({(string.IsNullOrWhiteSpace(redis["ConnectionString"]) ? "in-memory store" : "Redis")})");
    Console.WriteLine($"  dashboard: {address}/taskqueue/");
    Console.WriteLine($"  API key:   {apiKey} (TaskQueue:Dashboard:ApiKey; a development key: set your own outside development)");
    Console.WriteLine($"  demo:      curl -X POST {address}/demo/burst?count=100");
    Console.WriteLine($"  metrics:   {address}/metrics{(otlp ? " (and OTLP)" : string.Empty)}");
});

app.Run();
