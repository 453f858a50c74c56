using System.Diagnostics;
using System.Text;
using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    // ---- workers ----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Worker_heartbeat_registers_it_and_removal_unregisters_it()
    {
        var worker = new WorkerInfo { Id = "w-1", Host = "host-a", ProcessId = 1234, Queues = ["default", "emails"], Concurrency = 8, StartedAt = DateTimeOffset.UtcNow };

        await Store.HeartbeatWorkerAsync(worker, TimeSpan.FromMinutes(1));
        var listed = Assert.Single(await Admin.ListWorkersAsync());

        Assert.Equal("w-1", listed.Id);
        Assert.Equal("host-a", listed.Host);
        Assert.Equal(1234, listed.ProcessId);
        Assert.Equal(["default", "emails"], listed.Queues);
        Assert.Equal(8, listed.Concurrency);
        Assert.NotNull(listed.LastSeen);

        await Store.RemoveWorkerAsync("w-1");

        Assert.Empty(await Admin.ListWorkersAsync());
    }

    [Fact]
    public async Task Worker_that_stops_heartbeating_disappears_after_its_ttl()
    {
        var worker = new WorkerInfo { Id = "w-ttl", Host = "h", ProcessId = 1, Queues = ["default"], Concurrency = 1, StartedAt = DateTimeOffset.UtcNow };
        await Store.HeartbeatWorkerAsync(worker, ShortDelay);
        await Store.HeartbeatWorkerAsync(worker with { Id = "w-live" }, TimeSpan.FromMinutes(1));

        await Eventually.TrueAsync(async () => (await Admin.ListWorkersAsync()).All(w => w.Id != "w-ttl"), "the silent worker to expire");

        Assert.Equal("w-live", Assert.Single(await Admin.ListWorkersAsync()).Id);
    }
}
