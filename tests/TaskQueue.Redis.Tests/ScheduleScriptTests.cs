using TaskQueue.Scheduling;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>Redis-specific behaviour of the schedule scripts: keys, slots and self-healing.</summary>
[Collection(RedisServerFixture.CollectionName)]
public sealed class ScheduleScriptTests(RedisServerFixture server) : RedisStoreTestBase(server)
{
    private static RecurringSchedule Hourly(string name) => new() { Name = name, Cron = "0 * * * *", JobName = "Send", Queue = Queue };

    [Fact]
    public async Task A_schedule_lives_under_its_queue_hash_tag_and_the_registry_under_the_prefix()
    {
        await new RecurringJobClient(Store).UpsertAsync(Hourly("tagged"));

        Assert.True(await Db.KeyExistsAsync(Key("schedule:tagged")));
        Assert.NotNull(await Db.SortedSetScoreAsync(Key("schedules"), "tagged"));
        Assert.Equal(Queue, (string?)await Db.HashGetAsync($"{{{Prefix}}}:schedules", "tagged"));
        Assert.True(await Db.SetContainsAsync($"{{{Prefix}}}:schedule-queues", Queue));
    }

    [Fact]
    public async Task A_due_entry_whose_schedule_hash_was_deleted_by_hand_is_dropped()
    {
        await new RecurringJobClient(Store).UpsertAsync(Hourly("orphan"));
        await Db.KeyDeleteAsync(Key("schedule:orphan"));
        Store.ScheduleClockOverride = () => DateTimeOffset.UtcNow.AddHours(2);

        var due = await Store.GetDueSchedulesAsync(Queue, 10);

        Assert.Empty(due.Due);
        Assert.Null(await Db.SortedSetScoreAsync(Key("schedules"), "orphan"));
    }

    [Fact]
    public async Task An_idle_look_reads_the_server_clock_and_the_earliest_due_instant_only()
    {
        var client = new RecurringJobClient(Store);
        for (var i = 0; i < 50; i++)
        {
            await client.UpsertAsync(new RecurringSchedule { Name = $"s{i}", Cron = $"{i} 3 1 1 *", JobName = "Send", Queue = Queue });
        }

        var before = DateTimeOffset.UtcNow;
        var due = await Store.GetDueSchedulesAsync(Queue, 100);

        Assert.Empty(due.Due);
        Assert.InRange(due.Now, before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal((await client.ListAsync()).Min(s => s.NextDueAt), due.NextDueAt);
    }
}
