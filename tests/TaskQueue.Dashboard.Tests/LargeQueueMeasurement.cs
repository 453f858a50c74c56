using System.Diagnostics;
using System.Globalization;
using System.Text;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit.Abstractions;

namespace TaskQueue.Dashboard.Tests;

/// <summary>
/// A measurement, not an assertion on time: how long the API takes to serve a page of 50 jobs from a Redis queue holding
/// 1,000,000 jobs. Runs only when <c>TASKQUEUE_API_BENCH=1</c> (it stores ~1M jobs in the test Redis):
/// <c>TASKQUEUE_API_BENCH=1 dotnet test tests/TaskQueue.Dashboard.Tests -c Release --filter FullyQualifiedName~LargeQueueMeasurement --logger "console;verbosity=detailed"</c>.
/// docs/benchmarks.md holds the figures.
/// </summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class LargeQueueMeasurement(RedisServerFixture redis, ITestOutputHelper output)
{
    private const int Jobs = 1_000_000;
    private const int Batch = 5_000;
    private const int BatchesInFlight = 4;
    private const int Repeats = 30;

    [MeasurementFact]
    public async Task Page_of_50_from_a_queue_of_a_million_jobs()
    {
        await using var app = await ApiApp.StartAsync(StoreKind.Redis, redis);
        var store = app.Store;
        var fill = Stopwatch.StartNew();
        var payload = Encoding.UTF8.GetBytes("""{"to":"someone@example.com","subject":"Your order has shipped"}""");
        var inFlight = new List<Task>();
        for (var start = 0; start < Jobs; start += Batch)
        {
            var jobs = new NewJob[Batch];
            for (var i = 0; i < Batch; i++)
            {
                jobs[i] = new NewJob { Id = JobId.New(), Name = "SendEmail", Queue = ApiJobs.MailQueue, Priority = Priority.High, Payload = payload, MaxRetries = 5 };
            }

            inFlight.Add(store.EnqueueManyAsync(jobs).AsTask());
            if (inFlight.Count == BatchesInFlight)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
        fill.Stop();
        output.WriteLine($"enqueued {Jobs:N0} jobs in batches of {Batch:N0} ({BatchesInFlight} in flight) in {fill.Elapsed.TotalSeconds:F1} s ({Jobs / fill.Elapsed.TotalSeconds:N0} jobs/s)");
        Assert.Equal(Jobs, (await app.Admin.GetQueueStatsAsync(ApiJobs.MailQueue)).Pending);

        foreach (var (what, path) in new[]
        {
            ("first page (offset 0)", "/queues/api-mail/jobs?state=pending&offset=0&count=50"),
            ("middle page (offset 500,000)", "/queues/api-mail/jobs?state=pending&offset=500000&count=50"),
            ("last page (offset 999,950)", "/queues/api-mail/jobs?state=pending&offset=999950&count=50"),
            ("queue stats", "/queues/api-mail"),
            ("stats over every queue", "/stats"),
        })
        {
            var times = new List<double>();
            for (var i = 0; i < Repeats + 3; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await app.SendAsync(HttpMethod.Get, ApiApp.Api + path);
                var body = await response.Content.ReadAsByteArrayAsync();
                watch.Stop();
                Assert.True(response.IsSuccessStatusCode);
                if (i >= 3)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what}: median {times[times.Count / 2]:F2} ms, p95 {times[(int)(times.Count * 0.95)]:F2} ms, max {times[^1]:F2} ms over {Repeats} HTTP calls"));
        }

        // Free the ~1M jobs (a server this fixture started or a container; never a server named by TASKQUEUE_TEST_REDIS).
        if (redis.Kind != RedisServerKind.External)
        {
            await redis.ExecuteAsync("FLUSHALL");
        }
    }
}

/// <summary>A fact that runs only with <c>TASKQUEUE_API_BENCH=1</c>.</summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TASKQUEUE_API_BENCH") != "1")
        {
            Skip = "A measurement: set TASKQUEUE_API_BENCH=1 to run it (stores 1,000,000 jobs in the test Redis).";
        }
    }
}
