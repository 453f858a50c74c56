using System.Diagnostics;
using System.Globalization;
using TaskQueue;
using TaskQueue.Redis;
using TaskQueue.Storage;

// Usage: dotnet run -c Release -- [connection string] [jobs] [enqueue batch] [fetch batch] [drainers]
var connectionString = args.Length > 0 ? args[0] : "127.0.0.1:6379";
var total = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var enqueueBatch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 500;
var fetchBatch = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 32;
var drainers = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
var prefix = "bench-" + Guid.NewGuid().ToString("N")[..8];

await using var store = await RedisJobStore.ConnectAsync(new RedisJobStoreOptions
{
    ConnectionString = connectionString,
    KeyPrefix = prefix,
    EnqueueBatchSize = enqueueBatch,
});
var payload = "{\"to\":\"someone@example.com\",\"subject\":\"hello\"}"u8.ToArray();

var clock = Stopwatch.StartNew();
for (var sent = 0; sent < total; sent += enqueueBatch)
{
    var batch = new NewJob[Math.Min(enqueueBatch, total - sent)];
    for (var i = 0; i < batch.Length; i++)
    {
        batch[i] = new NewJob { Id = JobId.New(), Name = "Noop", Queue = "bench", Priority = Priority.Normal, Payload = payload, MaxRetries = 3 };
    }

    await store.EnqueueManyAsync(batch);
}

var enqueueSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"enqueue: {total} jobs in batches of {enqueueBatch}: {enqueueSeconds:F2} s, {total / enqueueSeconds:N0} jobs/s");

clock.Restart();
var drained = 0;
await Task.WhenAll(Enumerable.Range(0, drainers).Select(d => Task.Run(async () =>
{
    var request = new FetchRequest("bench", fetchBatch, TimeSpan.FromSeconds(30), $"bench-{d}");
    while (true)
    {
        var jobs = await store.FetchAsync(request);
        if (jobs.Count == 0)
        {
            return;
        }

        var completions = new JobCompletion[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            completions[i] = new JobCompletion { Lease = jobs[i].Lease, Kind = CompletionKind.Succeeded };
        }

        var rejected = await store.CompleteAsync(completions);
        if (rejected.Count != 0)
        {
            throw new InvalidOperationException($"{rejected.Count} completions rejected");
        }

        Interlocked.Add(ref drained, jobs.Count);
    }
})));

var drainSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"drain: {drained} jobs, fetch {fetchBatch} + complete per round, {drainers} drainer(s): {drainSeconds:F2} s, {drained / drainSeconds:N0} jobs/s");
var stats = await store.GetQueueStatsAsync("bench");
Console.WriteLine($"after: pending {stats.Pending}, active {stats.Active}, processed today {stats.ProcessedToday}");
