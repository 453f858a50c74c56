using System.Globalization;
using TaskQueue.Client;
using TaskQueue.Generated;

namespace TaskQueue.Benchmarks;

/// <summary>
/// Drain with failures: a prefilled queue of <c>--jobs</c> (default 100,000) <c>Flaky</c> jobs, of which every 100th
/// (1%, by sequence number) throws on its first attempt and is retried after a fixed 50 ms, then succeeds. Timed from
/// worker start until every job succeeded; exact delivery means each job succeeded once, the 1% ran exactly twice and
/// every other job once, and nothing is left pending, active, retrying or dead.
/// </summary>
internal static class FailingJobsWorkload
{
    public const string Queue = "failing";

    public static bool FailsFirst(int sequence) => sequence % 100 == 0;

    public static async Task<RunResult> RunAsync(BenchContext context)
    {
        var jobs = context.JobsOr(100_000);
        var concurrency = context.Options.Concurrency ?? 100;
        await using var store = await TaskQueueWorkloads.ConnectAsync(context);
        await PrefillAsync(new JobClient(store), jobs);
        DeliveryLedger.Reset(jobs);
        AttemptLedger.Reset(jobs);
        using var stop = new CancellationTokenSource();
        Task? running = null;
        long attempts = 0;
        long failedToday = 0;
        return await Workloads.MeasureAsync(context, () => jobs,
            async () =>
            {
                running = TaskQueueWorkloads.CreateWorker(store, Queue, concurrency).RunAsync(stop.Token);
                if (!await DeliveryLedger.WaitForAsync(TimeSpan.FromMinutes(5)))
                {
                    Console.Error.WriteLine($"failing: only {DeliveryLedger.Processed} of {jobs} jobs succeeded within 5 minutes");
                }
            },
            async () =>
            {
                await stop.CancelAsync();
                await running!;
                var stats = await store.GetQueueStatsAsync(Queue);
                failedToday = stats.FailedToday;
                var (missing, duplicates) = DeliveryLedger.Check();
                var (tooFew, tooMany, made) = AttemptLedger.Check(sequence => FailsFirst(sequence) ? 2 : 1);
                attempts = made;
                var unrecorded = (int)Math.Max(0, jobs - stats.ProcessedToday);
                if (stats.Pending != 0 || stats.Active != 0 || stats.Retrying != 0 || stats.Dead != 0 || unrecorded != 0 || tooFew != 0 || tooMany != 0)
                {
                    Console.Error.WriteLine($"failing: after stop pending={stats.Pending} active={stats.Active} retrying={stats.Retrying} dead={stats.Dead} processed={stats.ProcessedToday}; attempts too few for {tooFew} jobs, {tooMany} too many");
                }

                return (Math.Max(Math.Max(missing, unrecorded), Math.Max(tooFew, (int)stats.Dead)), duplicates + tooMany);
            },
            note: () => string.Create(CultureInfo.InvariantCulture,
                $"attempts {attempts} for {jobs} jobs ({jobs / 100 + (jobs % 100 > 0 ? 1 : 0)} planned failures); failed today (store) {failedToday}"));
    }

    private static async Task PrefillAsync(JobClient client, int jobs)
    {
        const int Batch = 500;
        for (var sent = 0; sent < jobs; sent += Batch)
        {
            var batch = new JobRequest[Math.Min(Batch, jobs - sent)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = new JobRequest(Jobs.Flaky.Definition, Jobs.Flaky.Serialize(sent + i));
            }

            await client.EnqueueManyAsync(batch);
        }
    }
}
