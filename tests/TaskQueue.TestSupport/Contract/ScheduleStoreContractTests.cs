using System.Globalization;
using System.Text;
using TaskQueue.Scheduling;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

/// <summary>
/// The behaviour every <see cref="IScheduleStore"/> must have, run against each store. Time is simulated: each store is
/// created on a <see cref="ManualClock"/> that decides due-ness (the in-memory store's TimeProvider; the Redis store's
/// test clock seam in its schedule scripts), so a day runs in seconds.
/// </summary>
public abstract partial class ScheduleStoreContractTests : IAsyncLifetime
{
    /// <summary>The queue schedules of this suite live on.</summary>
    protected const string Q = "recurring";

    /// <summary>Monday 2 March 2026, 00:00 UTC.</summary>
    protected static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private readonly List<IJobStore> _stores = [];

    /// <summary>The clock of every store of the test.</summary>
    protected ManualClock Clock { get; } = new(Start);

    /// <summary>The first store of the test.</summary>
    protected IJobStore Store => _stores[0];

    /// <summary>Its schedule side.</summary>
    protected IScheduleStore Schedules => (IScheduleStore)_stores[0];

    /// <summary>A client over <see cref="Store"/>.</summary>
    protected RecurringJobClient Client => new(Store);

    /// <summary>Creates a fresh, empty store whose schedule clock is <paramref name="clock"/>.</summary>
    protected abstract Task<IJobStore> CreateStoreAsync(ManualClock clock);

    /// <summary>Another handle on the same data as <see cref="Store"/>, on its own connection where the store has one (another process's view).</summary>
    protected abstract Task<IJobStore> OpenSiblingAsync(ManualClock clock);

    /// <inheritdoc/>
    public async Task InitializeAsync() => _stores.Add(await CreateStoreAsync(Clock));

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        foreach (var store in _stores.Distinct())
        {
            await DisposeStoreAsync(store);
        }
    }

    /// <summary>Opens a sibling that the test disposes at its end (or earlier with <see cref="DisposeStoreAsync"/>).</summary>
    protected async Task<IJobStore> SiblingAsync()
    {
        var sibling = await OpenSiblingAsync(Clock);
        _stores.Add(sibling);
        return sibling;
    }

    /// <summary>Disposes a store (a killed process's connection closes).</summary>
    protected static async Task DisposeStoreAsync(IJobStore store)
    {
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else if (store is IDisposable syncDisposable)
        {
            syncDisposable.Dispose();
        }
    }

    /// <summary>A scheduler over <paramref name="store"/> on the test clock.</summary>
    protected RecurringScheduler Scheduler(IJobStore store, TimeSpan? misfireThreshold = null)
        => new((IScheduleStore)store, new RecurringSchedulerOptions { MisfireThreshold = misfireThreshold ?? TimeSpan.FromMinutes(1) }, Clock);

    /// <summary>A schedule of the test job on <see cref="Q"/>.</summary>
    protected static RecurringSchedule Schedule(string name, string cron, string timeZone = "UTC", MisfirePolicy misfire = MisfirePolicy.RunOnce, int maxCatchUp = 10, OverlapPolicy overlap = OverlapPolicy.Allow, string payload = "{}")
        => new()
        {
            Name = name,
            Cron = cron,
            TimeZone = timeZone,
            JobName = "recurring-job",
            Queue = Q,
            Priority = Priority.High,
            MaxRetries = 2,
            Timeout = TimeSpan.FromSeconds(30),
            Payload = Encoding.UTF8.GetBytes(payload),
            Misfire = misfire,
            MaxCatchUp = maxCatchUp,
            Overlap = overlap,
        };

    /// <summary>Fetches every ready job of <see cref="Q"/> (leased, not completed).</summary>
    protected async Task<List<LeasedJob>> DrainAsync(IJobStore? store = null)
    {
        var all = new List<LeasedJob>();
        for (var i = 0; i < 1000; i++)
        {
            var batch = await (store ?? Store).FetchAsync(new FetchRequest(Q, 500, TimeSpan.FromHours(1), "contract-worker"));
            if (batch.Count == 0)
            {
                break;
            }

            all.AddRange(batch);
        }

        return all;
    }

    /// <summary>The due instant an occurrence's job id encodes (<c>rec-MS-HASH</c>).</summary>
    protected static DateTimeOffset DueOf(JobId id)
        => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(id.Value.Split('-')[1], CultureInfo.InvariantCulture));

    /// <summary>Moves the clock to <paramref name="until"/> in steps of <paramref name="step"/>, running one pass of each scheduler per step.</summary>
    protected async Task RunUntilAsync(DateTimeOffset until, TimeSpan step, params RecurringScheduler[] schedulers)
    {
        while (Clock.GetUtcNow() < until)
        {
            Clock.Advance(step);
            await Task.WhenAll(schedulers.Select(s => s.RunPassAsync().AsTask()));
        }
    }
}
