using System.Text;
using TaskQueue.Scheduling;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class ScheduleStoreContractTests
{
    [Fact]
    public async Task An_upserted_schedule_is_listed_with_its_next_due_instant()
    {
        var info = await Client.UpsertAsync(Schedule("digest", "0 8 * * MON", payload: "{\"to\":\"ada\"}"));

        Assert.Equal(Start.AddHours(8), info.NextDueAt);
        var listed = Assert.Single(await Client.ListAsync());
        Assert.Equal("digest", listed.Name);
        Assert.Equal(Schedule("digest", "0 8 * * MON", payload: "{\"to\":\"ada\"}"), listed.State.Schedule);
        Assert.Null(listed.LastDueAt);
        Assert.Null(listed.LastJobId);
        Assert.Equal([Q], await Schedules.ListScheduleQueuesAsync());
    }

    [Fact]
    public async Task An_occurrence_is_fetched_run_and_completed_like_any_job()
    {
        await Client.UpsertAsync(Schedule("hourly", "0 * * * *", payload: "{\"n\":1}"));
        var scheduler = Scheduler(Store);

        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await scheduler.RunPassAsync());

        var job = Assert.Single(await DrainAsync());
        Assert.Equal(OccurrenceIds.For("hourly", Start.AddHours(1)), job.Id);
        Assert.Equal("recurring-job", job.Name);
        Assert.Equal(Q, job.Queue);
        Assert.Equal(Priority.High, job.Priority);
        Assert.Equal(2, job.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(30), job.Timeout);
        Assert.Equal(1, job.Attempt);
        Assert.Equal("{\"n\":1}", Encoding.UTF8.GetString(job.Payload.Span));
        Assert.Empty(await Store.CompleteAsync([new JobCompletion { Lease = job.Lease, Kind = CompletionKind.Succeeded }]));

        var info = Assert.Single(await Client.ListAsync());
        Assert.Equal(JobState.Succeeded, info.LastOutcome);
        Assert.Equal(job.Id, info.LastJobId);
        Assert.Equal(Start.AddHours(1), info.LastDueAt);
        Assert.Equal(Start.AddHours(2), info.NextDueAt);
    }

    [Fact]
    public async Task Upsert_changing_the_cron_moves_the_next_occurrence()
    {
        await Client.UpsertAsync(Schedule("report", "0 * * * *"));
        var scheduler = Scheduler(Store);
        await RunUntilAsync(Start.AddHours(2), TimeSpan.FromMinutes(5), scheduler);
        Assert.Equal(2, (await DrainAsync()).Count);

        var changed = await Client.UpsertAsync(Schedule("report", "*/15 * * * *"));
        Assert.Equal(Start.AddHours(2).AddMinutes(15), changed.NextDueAt);
        await RunUntilAsync(Start.AddHours(3), TimeSpan.FromMinutes(5), scheduler);

        var dues = (await DrainAsync()).Select(j => DueOf(j.Id)).Order().ToList();
        Assert.Equal([Start.AddMinutes(135), Start.AddMinutes(150), Start.AddMinutes(165), Start.AddMinutes(180)], dues);
    }

    [Fact]
    public async Task Upserting_the_same_definition_again_keeps_the_next_due_instant()
    {
        await Client.UpsertAsync(Schedule("nightly", "0 3 * * *"));
        Clock.Advance(TimeSpan.FromDays(2));

        // A restart re-registers the declaration: the missed 03:00 occurrences must still count as missed.
        var again = await Client.UpsertAsync(Schedule("nightly", "0 3 * * *", payload: "{\"v\":2}"));

        Assert.Equal(Start.AddHours(3), again.NextDueAt);
        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString(again.State.Schedule.Payload.Span));
    }

    [Fact]
    public async Task A_paused_schedule_enqueues_nothing_and_resumes_from_now()
    {
        await Client.UpsertAsync(Schedule("pausable", "0 * * * *"));
        var scheduler = Scheduler(Store);
        Assert.True(await Client.PauseAsync("pausable"));
        Assert.True((await Client.GetAsync("pausable"))!.State.Paused);

        await RunUntilAsync(Start.AddHours(5).AddMinutes(30), TimeSpan.FromMinutes(10), scheduler);
        Assert.Empty(await DrainAsync());

        Assert.True(await Client.ResumeAsync("pausable"));
        Assert.False(await Client.ResumeAsync("pausable"));
        Assert.Equal(Start.AddHours(6), (await Client.GetAsync("pausable"))!.NextDueAt);
        await RunUntilAsync(Start.AddHours(7), TimeSpan.FromMinutes(10), scheduler);

        var dues = (await DrainAsync()).Select(j => DueOf(j.Id)).Order().ToList();
        Assert.Equal([Start.AddHours(6), Start.AddHours(7)], dues);
    }

    [Fact]
    public async Task Deleting_a_schedule_stops_it()
    {
        await Client.UpsertAsync(Schedule("doomed", "*/10 * * * *"));
        var scheduler = Scheduler(Store);
        await RunUntilAsync(Start.AddMinutes(30), TimeSpan.FromMinutes(5), scheduler);
        Assert.Equal(3, (await DrainAsync()).Count);

        Assert.True(await Client.DeleteAsync("doomed"));
        Assert.False(await Client.DeleteAsync("doomed"));
        await RunUntilAsync(Start.AddHours(2), TimeSpan.FromMinutes(5), scheduler);

        Assert.Empty(await DrainAsync());
        Assert.Null(await Client.GetAsync("doomed"));
        Assert.Empty(await Client.ListAsync());
    }

    [Fact]
    public async Task Overlap_skip_leaves_out_occurrences_while_the_previous_one_has_not_finished()
    {
        await Client.UpsertAsync(Schedule("single", "0 * * * *", overlap: OverlapPolicy.SkipIfRunning));
        var scheduler = Scheduler(Store);
        await RunUntilAsync(Start.AddHours(1), TimeSpan.FromMinutes(30), scheduler);
        var first = Assert.Single(await DrainAsync());

        // Still running at 02:00 and 03:00: both skipped.
        await RunUntilAsync(Start.AddHours(3), TimeSpan.FromMinutes(30), scheduler);
        Assert.Empty(await DrainAsync());
        Assert.Equal(2, (await Client.GetAsync("single"))!.State.Skipped);

        Assert.Empty(await Store.CompleteAsync([new JobCompletion { Lease = first.Lease, Kind = CompletionKind.Succeeded }]));
        await RunUntilAsync(Start.AddHours(4), TimeSpan.FromMinutes(30), scheduler);
        Assert.Equal(OccurrenceIds.For("single", Start.AddHours(4)), Assert.Single(await DrainAsync()).Id);
    }

    [Fact]
    public async Task Declared_schedules_are_registered_updated_and_retired_when_no_longer_declared()
    {
        var client = Client;
        await client.UpsertAsync(Schedule("dynamic", "0 * * * *"));
        await client.SyncDeclaredAsync("app", [Schedule("a", "0 * * * *"), Schedule("b", "0 3 * * *")]);
        await client.SyncDeclaredAsync("other-app", [Schedule("c", "0 4 * * *")]);

        var retired = await client.SyncDeclaredAsync("app", [Schedule("a", "*/30 * * * *")]);

        Assert.Equal(["b"], retired);
        Assert.Equal("*/30 * * * *", (await client.GetAsync("a"))!.State.Schedule.Cron);
        Assert.Equal(Start.AddMinutes(30), (await client.GetAsync("a"))!.NextDueAt);
        Assert.Equal(["a", "c", "dynamic"], (await client.ListAsync()).Select(s => s.Name));
        Assert.Equal("app", (await client.GetAsync("a"))!.State.Schedule.DeclaredBy);
        Assert.Null((await client.GetAsync("dynamic"))!.State.Schedule.DeclaredBy);
    }

    [Theory]
    [InlineData("61 * * * *", "UTC", "cron expression '61 * * * *'")]
    [InlineData("* * *", "UTC", "cron expression '* * *'")]
    [InlineData("0 3 * * *", "Mars/Olympus_Mons", "time zone 'Mars/Olympus_Mons'")]
    public async Task An_invalid_cron_or_time_zone_is_refused_naming_the_schedule(string cron, string zone, string named)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Client.UpsertAsync(Schedule("broken", cron, zone)).AsTask());

        Assert.Contains("Schedule 'broken'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        Assert.Empty(await Client.ListAsync());
    }

    [Fact]
    public async Task A_seconds_precision_schedule_enqueues_every_second()
    {
        await Client.UpsertAsync(Schedule("per-second", "* * * * * *"));
        var scheduler = Scheduler(Store);

        await RunUntilAsync(Start.AddMinutes(2), TimeSpan.FromMilliseconds(700), scheduler);

        var dues = (await DrainAsync()).Select(j => DueOf(j.Id)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 120).Select(s => Start.AddSeconds(s)), dues.Where(d => d <= Start.AddMinutes(2)));
    }

    [Fact]
    public async Task A_schedule_moved_to_another_queue_fires_only_there()
    {
        await Client.UpsertAsync(Schedule("moving", "0 * * * *"));
        await Client.UpsertAsync(Schedule("moving", "0 * * * *") with { Queue = "elsewhere" });
        var scheduler = Scheduler(Store);

        await RunUntilAsync(Start.AddHours(2), TimeSpan.FromMinutes(30), scheduler);

        Assert.Equal("elsewhere", Assert.Single(await Client.ListAsync()).State.Schedule.Queue);
        Assert.Empty(await DrainAsync());
        var moved = await Store.FetchAsync(new FetchRequest("elsewhere", 10, TimeSpan.FromMinutes(1), "contract-worker"));
        Assert.Equal([OccurrenceIds.For("moving", Start.AddHours(1)), OccurrenceIds.For("moving", Start.AddHours(2))], moved.Select(j => j.Id).Order());
    }

    [Fact]
    public async Task A_tab_separated_six_field_expression_has_seconds()
    {
        var info = await Client.UpsertAsync(Schedule("tabs", "30\t*\t*\t*\t*\t*"));

        Assert.Equal(Start.AddSeconds(30), info.NextDueAt);
    }
}
