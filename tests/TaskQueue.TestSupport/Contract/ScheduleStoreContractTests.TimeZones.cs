using TaskQueue.Scheduling;
using Xunit;

namespace TaskQueue.TestSupport;

/// <summary>
/// Daylight saving time as Cronos handles it (documented in the README): a local time that does not exist (spring
/// forward) runs at the first instant after the gap; a local time that happens twice (fall back) runs once, at its first
/// instance, unless the hour field is a wildcard or an interval, which runs in both.
/// </summary>
public abstract partial class ScheduleStoreContractTests
{
    private static readonly TimeSpan Cet = TimeSpan.FromHours(1);
    private static readonly TimeSpan Cest = TimeSpan.FromHours(2);
    private static readonly TimeSpan Est = TimeSpan.FromHours(-5);
    private static readonly TimeSpan Edt = TimeSpan.FromHours(-4);

    [Fact]
    public async Task Berlin_spring_forward_runs_the_skipped_local_time_once_at_the_end_of_the_gap()
    {
        // 29 March 2026: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that day.
        var dues = await OccurrencesAsync("30 2 * * *", "Europe/Berlin", new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(3));

        Assert.Equal(
            [Local(2026, 3, 28, 2, 30, Cet), Local(2026, 3, 29, 3, 0, Cest), Local(2026, 3, 30, 2, 30, Cest)],
            dues);
    }

    [Fact]
    public async Task Berlin_fall_back_runs_a_repeated_local_time_once_and_an_hourly_interval_in_both_hours()
    {
        // 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
        var from = new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero);
        var daily = await OccurrencesAsync("30 2 * * *", "Europe/Berlin", from, TimeSpan.FromDays(2), "daily");
        var hourly = await OccurrencesAsync("30 * * * *", "Europe/Berlin", new DateTimeOffset(2026, 10, 24, 23, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(4), "hourly");

        Assert.Equal([Local(2026, 10, 25, 2, 30, Cest), Local(2026, 10, 26, 2, 30, Cet)], daily);
        Assert.Equal(
            [Local(2026, 10, 25, 1, 30, Cest), Local(2026, 10, 25, 2, 30, Cest), Local(2026, 10, 25, 2, 30, Cet), Local(2026, 10, 25, 3, 30, Cet)],
            hourly);
    }

    [Fact]
    public async Task New_York_spring_forward_and_fall_back()
    {
        // 8 March 2026: 02:00 EST becomes 03:00 EDT. 1 November 2026: 02:00 EDT becomes 01:00 EST.
        var spring = await OccurrencesAsync("30 2 * * *", "America/New_York", new DateTimeOffset(2026, 3, 7, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(2), "spring");
        var fall = await OccurrencesAsync("30 1 * * *", "America/New_York", new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(2), "fall");

        Assert.Equal([Local(2026, 3, 8, 3, 0, Edt), Local(2026, 3, 9, 2, 30, Edt)], spring);
        Assert.Equal([Local(2026, 11, 1, 1, 30, Edt), Local(2026, 11, 2, 1, 30, Est)], fall);
    }

    /// <summary>Runs a scheduler over the window in 10-minute steps and returns the due instants it enqueued.</summary>
    private async Task<List<DateTimeOffset>> OccurrencesAsync(string cron, string zone, DateTimeOffset from, TimeSpan span, string name = "dst")
    {
        Clock.Set(from);
        await Client.UpsertAsync(Schedule(name, cron, zone));
        await RunUntilAsync(from + span, TimeSpan.FromMinutes(10), Scheduler(Store));
        var dues = (await DrainAsync()).Where(j => j.Id == OccurrenceIds.For(name, DueOf(j.Id))).Select(j => DueOf(j.Id)).Order().ToList();
        Assert.True(await Client.DeleteAsync(name));
        return dues;
    }

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute, TimeSpan offset)
        => new DateTimeOffset(year, month, day, hour, minute, 0, offset).ToUniversalTime();
}
