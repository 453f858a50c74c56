using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests;

/// <summary>The store contract against the in-memory store on the system clock.</summary>
public sealed class InMemoryJobStoreContractTests : JobStoreContractTests
{
    protected override Task<IJobStore> CreateStoreAsync() => Task.FromResult<IJobStore>(new InMemoryJobStore());

    // The in-memory jobs live in the instance: lowering its limit stands in for a restart with a lower limit.
    protected override Task<IJobStore> WithMaxPayloadBytesAsync(int maxPayloadBytes)
    {
        ((InMemoryJobStore)Store).MaxPayloadBytes = maxPayloadBytes;
        return Task.FromResult(Store);
    }
}
