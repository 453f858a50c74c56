using TaskQueue.Scheduling;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.LockedDown;

/// <summary>
/// The whole <see cref="IScheduleStore"/> contract with the store connected as the least-privilege ACL user of the README
/// ("Locking Redis down"): recurring schedules need no command or key beyond the documented ones.
/// </summary>
public sealed class AclUserScheduleContractTests(AclRedisServer server) : ScheduleStoreContractTests, IClassFixture<AclRedisServer>
{
    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();
    private string? _connection;

    protected override async Task<IJobStore> CreateStoreAsync(ManualClock clock)
    {
        _connection = await server.CreateUserAsync(_prefix);
        return await OpenSiblingAsync(clock);
    }

    protected override async Task<IJobStore> OpenSiblingAsync(ManualClock clock)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var store = await RedisJobStore.ConnectAsync(_connection!, timeout.Token);
        store.ScheduleClockOverride = clock.GetUtcNow;
        return store;
    }

    [Fact]
    public async Task Nothing_was_denied_to_the_store_user()
    {
        await Client.UpsertAsync(Schedule("acl", "0 * * * *", overlap: OverlapPolicy.SkipIfRunning));
        await Client.SyncDeclaredAsync("app", [Schedule("acl-declared", "0 * * * *")]);
        var scheduler = Scheduler(Store);
        await RunUntilAsync(Start.AddHours(3), TimeSpan.FromMinutes(30), scheduler);
        await Client.PauseAsync("acl");
        await Client.ResumeAsync("acl");
        await Client.ListAsync();
        await Client.DeleteAsync("acl");

        Assert.NotEmpty(await DrainAsync());
        Assert.Empty(await server.DeniedAsync($"tq-{_prefix}"));
    }
}
