using TaskQueue.Scheduling;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class ScheduleStoreContractTests
{
    // An hourly schedule, and no scheduler from 00:00 to 05:30: 01:00 ... 05:00 were missed.
    [Theory]
    [InlineData(MisfirePolicy.RunOnce, new[] { 1 })]
    [InlineData(MisfirePolicy.RunAll, new[] { 1, 2, 3 })]
    [InlineData(MisfirePolicy.Skip, new int[0])]
    public async Task After_an_outage_the_misfire_policy_decides_what_runs(MisfirePolicy policy, int[] hours)
    {
        await Client.UpsertAsync(Schedule("hourly", "0 * * * *", misfire: policy, maxCatchUp: 3));
        Clock.Advance(TimeSpan.FromHours(5.5));

        await Scheduler(Store).RunPassAsync();

        var dues = (await DrainAsync()).Select(j => DueOf(j.Id)).Order().ToList();
        Assert.Equal(hours.Select(h => Start.AddHours(h)), dues);
        var state = (await Client.GetAsync("hourly"))!;
        Assert.Equal(Start.AddHours(6), state.NextDueAt);
        Assert.Equal(5 - hours.Length, state.State.Skipped);
    }

    [Fact]
    public async Task Occurrences_late_by_less_than_the_misfire_threshold_all_run()
    {
        await Client.UpsertAsync(Schedule("five", "*/5 * * * *", misfire: MisfirePolicy.Skip));
        Clock.Advance(TimeSpan.FromMinutes(21));

        await Scheduler(Store, misfireThreshold: TimeSpan.FromMinutes(30)).RunPassAsync();

        var dues = (await DrainAsync()).Select(j => DueOf(j.Id)).Order().ToList();
        Assert.Equal([Start.AddMinutes(5), Start.AddMinutes(10), Start.AddMinutes(15), Start.AddMinutes(20)], dues);
    }
}
