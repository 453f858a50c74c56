// An ASP.NET Core app that enqueues jobs, runs them, and maps the TaskQueue dashboard and HTTP API.
//   dotnet run --project samples/WebApp                                                 in-memory store
//   TaskQueue__Redis__ConnectionString=localhost:6379 dotnet run --project samples/WebApp   on Redis
// The dashboard is at http://localhost:5080/taskqueue/ ; the API key is TaskQueue:Dashboard:ApiKey (appsettings.json).
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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


var app = builder.Build();
app.MapDemo();
app.MapTaskQueue("/taskqueue");

app.Lifetime.ApplicationStarted.Register(() =>
{
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
    Console.WriteLine($"TaskQueue web app sample ({(string.IsNullOrWhiteSpace(redis["ConnectionString"]) ? "in-memory store" : "Redis")})");
    Console.WriteLine($"  dashboard: {address}/taskqueue/");
    Console.WriteLine($"  API key:   {apiKey} (TaskQueue:Dashboard:ApiKey; a development key: set your own outside development)");
    Console.WriteLine($"  demo:      curl -X POST {address}/demo/burst?count=100");
});

app.Run();
