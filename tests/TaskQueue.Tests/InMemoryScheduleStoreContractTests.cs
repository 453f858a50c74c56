using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests;

/// <summary>The schedule contract against the in-memory store on a simulated clock.</summary>
public sealed class InMemoryScheduleStoreContractTests : ScheduleStoreContractTests
{
    protected override Task<IJobStore> CreateStoreAsync(ManualClock clock) => Task.FromResult<IJobStore>(new InMemoryJobStore(clock));

    // One process, one store: schedulers on "other nodes" share the instance.
    protected override Task<IJobStore> OpenSiblingAsync(ManualClock clock) => Task.FromResult(Store);
}
