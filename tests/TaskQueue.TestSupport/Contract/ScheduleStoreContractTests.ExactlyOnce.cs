using TaskQueue.Scheduling;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class ScheduleStoreContractTests
{
    [Fact]
    public async Task Three_schedulers_racing_over_a_simulated_day_enqueue_every_minute_once()
    {
        await Client.UpsertAsync(Schedule("every-minute", "* * * * *"));
        var stores = new[] { Store, await SiblingAsync(), await SiblingAsync() };
        var schedulers = stores.Select(s => Scheduler(s)).ToArray();

        // Steps of 20 s: every scheduler looks three times a minute, all at the same store instant.
        await RunUntilAsync(Start.AddDays(1), TimeSpan.FromSeconds(20), schedulers);

        AssertEveryMinuteOnce(await DrainAsync(), "every-minute", Start.AddMinutes(1), Start.AddDays(1));
    }

    [Fact]
    public async Task A_scheduler_killed_mid_day_and_another_started_later_still_enqueue_every_minute_once()
    {
        await Client.UpsertAsync(Schedule("every-minute", "* * * * *"));
        var doomed = await SiblingAsync();
        var a = Scheduler(Store);
        var b = Scheduler(await SiblingAsync());
        var c = Scheduler(doomed);

        await RunUntilAsync(Start.AddHours(11), TimeSpan.FromSeconds(20), a, b, c);

        // Killed in the middle of a pass: its connection closes while its calls may be in flight.
        Clock.Advance(TimeSpan.FromSeconds(20));
        var inFlight = c.RunPassAsync().AsTask();
        await DisposeStoreAsync(doomed);
        await Task.WhenAll(a.RunPassAsync().AsTask(), b.RunPassAsync().AsTask());
        try
        {
            await inFlight;
        }
        catch (Exception)
        {
            // Whatever the killed scheduler managed to do, or not, is the point of the test.
        }

        await RunUntilAsync(Start.AddHours(15), TimeSpan.FromSeconds(20), a, b);
        var restarted = Scheduler(await SiblingAsync());
        await RunUntilAsync(Start.AddDays(1), TimeSpan.FromSeconds(20), a, b, restarted);

        AssertEveryMinuteOnce(await DrainAsync(), "every-minute", Start.AddMinutes(1), Start.AddDays(1));
    }

    [Fact]
    public async Task Racing_advances_of_one_occurrence_have_one_winner()
    {
        await Client.UpsertAsync(Schedule("race", "0 * * * *"));
        Clock.Advance(TimeSpan.FromHours(1));
        var due = Start.AddHours(1);
        var step = new ScheduleAdvance { Queue = Q, Name = "race", ExpectedDueAt = due, Occurrences = [due], NextDueAt = due.AddHours(1) };
        var siblings = new[] { Schedules, (IScheduleStore)await SiblingAsync(), (IScheduleStore)await SiblingAsync() };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => siblings[i % 3].AdvanceScheduleAsync(step).AsTask()));

        Assert.Single(outcomes, o => o == ScheduleAdvanceOutcome.Advanced);
        Assert.Equal(29, outcomes.Count(o => o == ScheduleAdvanceOutcome.Conflict));
        var job = Assert.Single(await DrainAsync());
        Assert.Equal(OccurrenceIds.For("race", due), job.Id);
    }

    [Fact]
    public async Task An_occurrence_not_yet_due_by_the_store_clock_is_refused()
    {
        await Client.UpsertAsync(Schedule("early", "0 * * * *"));
        var due = Start.AddHours(1);
        Clock.Advance(TimeSpan.FromMinutes(59));

        // A scheduler whose own clock runs an hour fast still cannot enqueue early: the store's clock decides.
        var outcome = await Schedules.AdvanceScheduleAsync(new ScheduleAdvance { Queue = Q, Name = "early", ExpectedDueAt = due, Occurrences = [due], NextDueAt = due.AddHours(1) });

        Assert.Equal(ScheduleAdvanceOutcome.Conflict, outcome);
        Assert.Empty(await DrainAsync());
    }

    private static void AssertEveryMinuteOnce(List<Storage.LeasedJob> jobs, string schedule, DateTimeOffset first, DateTimeOffset last)
    {
        var expected = new List<JobId>();
        for (var at = first; at <= last; at = at.AddMinutes(1))
        {
            expected.Add(OccurrenceIds.For(schedule, at));
        }

        var ids = jobs.Select(j => j.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(expected.Count, ids.Count);
        Assert.Equal(expected.Order(), ids.Order());
    }
}
