using System.Collections.Concurrent;
using TaskQueue.Scheduling;

namespace TaskQueue.IntegrationTests;

/// <summary>Jobs with recurring schedules for the hosting tests (declared ones fall due only on 1 January).</summary>
public static class RecurringHostingJobs
{
    public const string Queue = "recurring-hosting";

    public static ConcurrentQueue<string> Seen { get; } = new();

    [Job(Queue = Queue, Cron = "0 0 1 1 *", TimeZone = "Europe/Berlin")]
    public static void NewYear() => Seen.Enqueue("new year");

    [Job(Queue = Queue)]
    [Recurring("hosting-yearly-report", "0 6 1 1 *", "eu", 2026, Misfire = MisfirePolicy.Skip)]
    public static void RecurringTick(string region, int year, JobContext context) => Seen.Enqueue($"{region}:{year}:{context.Id}");
}
