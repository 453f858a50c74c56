using System.Diagnostics;
using System.Text;
using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

/// <summary>
/// The behaviour every <see cref="IJobStore"/> must have. Subclass it once per backend; each test gets a fresh,
/// empty store from <see cref="CreateStoreAsync"/>. The store's own clock decides due times (Redis reads
/// <c>TIME</c>), so time-dependent tests use short real delays and bounded polling, never a fake clock.
/// </summary>
public abstract partial class JobStoreContractTests : IAsyncLifetime
{
    /// <summary>A delay long enough to observe "not yet" and short enough to keep the suite fast.</summary>
    protected static readonly TimeSpan ShortDelay = TimeSpan.FromMilliseconds(300);

    /// <summary>The lease used when a test does not care about expiry.</summary>
    protected static readonly TimeSpan LongLease = TimeSpan.FromMinutes(5);

    private const string Q = TestJobs.Queue;
    private const string WorkerId = "contract-worker";

    private IJobStore? _store;

    /// <summary>The store under test.</summary>
    protected IJobStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>The store's operator interface (every store implements it).</summary>
    protected IJobAdmin Admin => (IJobAdmin)Store;

    /// <summary>Creates a fresh, empty store (or namespace) for one test.</summary>
    protected abstract Task<IJobStore> CreateStoreAsync();

    /// <summary>
    /// A store over the same jobs as <see cref="Store"/> whose <see cref="IJobStore.MaxPayloadBytes"/> is
    /// <paramref name="maxPayloadBytes"/>: what a restart with a lowered limit sees. The test disposes it unless it is <see cref="Store"/>.
    /// </summary>
    protected abstract Task<IJobStore> WithMaxPayloadBytesAsync(int maxPayloadBytes);

    /// <inheritdoc/>
    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else if (_store is IDisposable syncDisposable)
        {
            syncDisposable.Dispose();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------------

    /// <summary>Enqueues and returns the new id.</summary>
    protected async Task<JobId> EnqueueAsync(NewJob job)
    {
        var result = await Store.EnqueueAsync(job);
        Assert.True(result.Created, $"job {job.Id} was not created");
        return result.Id;
    }

    /// <summary>Fetches from the contract queue.</summary>
    protected async Task<List<LeasedJob>> FetchAsync(int max, TimeSpan? lease = null)
        => [.. await Store.FetchAsync(new FetchRequest(Q, max, lease ?? LongLease, WorkerId))];

    /// <summary>A completion of <paramref name="job"/>'s current attempt.</summary>
    protected static JobCompletion Completion(LeasedJob job, CompletionKind kind) => new() { Lease = job.Lease, Kind = kind, Error = kind is CompletionKind.Retry or CompletionKind.DeadLetter ? "error" : null };

    /// <summary>Completes one attempt and requires the store to accept it.</summary>
    protected async Task CompleteAsync(LeasedJob job, CompletionKind kind)
        => Assert.Empty(await Store.CompleteAsync([Completion(job, kind)]));

    /// <summary>Makes <paramref name="count"/> dead letters, oldest first, and returns their ids in that order.</summary>
    protected async Task<List<JobId>> KillAsync(int count)
    {
        var ids = new List<JobId>();
        for (var i = 0; i < count; i++)
        {
            var id = await EnqueueAsync(TestJobs.New(maxRetries: 0));
            var leased = Assert.Single(await FetchAsync(1));
            Assert.Equal(id, leased.Id);
            await CompleteAsync(leased, CompletionKind.DeadLetter);
            ids.Add(id);

            // Distinct death times, so "newest first" and trimming are well defined even on a millisecond clock.
            await Task.Delay(5);
        }

        return ids;
    }
}
