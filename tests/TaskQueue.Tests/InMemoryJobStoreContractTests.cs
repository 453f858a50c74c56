using TaskQueue.Storage;
using TaskQueue.Testing;

namespace TaskQueue.Tests;

/// <summary>The store contract against the in-memory store on the system clock.</summary>
public sealed class InMemoryJobStoreContractTests : JobStoreContractTests
{
    protected override Task<IJobStore> CreateStoreAsync() => Task.FromResult<IJobStore>(new InMemoryJobStore());
}
