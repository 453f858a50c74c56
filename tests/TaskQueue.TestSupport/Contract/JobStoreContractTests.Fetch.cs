using System.Diagnostics;
using System.Text;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    // ---- fetch, priority, order -------------------------------------------------------------------------

    [Fact]
    public async Task Fetch_from_an_empty_queue_returns_nothing()
    {
        Assert.Empty(await FetchAsync(10));
    }

    [Fact]
    public async Task Fetch_takes_every_higher_priority_job_before_any_lower_one()
    {
        var low = await EnqueueAsync(TestJobs.New("low", Priority.Low));
        var normal = await EnqueueAsync(TestJobs.New("normal", Priority.Normal));
        var high = await EnqueueAsync(TestJobs.New("high", Priority.High));
        var critical = await EnqueueAsync(TestJobs.New("critical", Priority.Critical));

        var order = new List<JobId>();
        for (var i = 0; i < 4; i++)
        {
            order.Add(Assert.Single(await FetchAsync(1)).Id);
        }

        Assert.Equal([critical, high, normal, low], order);
    }

    [Fact]
    public async Task Jobs_of_one_priority_are_fetched_first_in_first_out()
    {
        var ids = new List<JobId>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await EnqueueAsync(TestJobs.New($"job-{i}")));
        }

        var fetched = await FetchAsync(3);
        fetched = [.. fetched, .. await FetchAsync(10)];

        Assert.Equal(ids, fetched.Select(j => j.Id));
    }

    [Fact]
    public async Task Fetch_leases_at_most_the_requested_number_of_jobs()
    {
        for (var i = 0; i < 5; i++)
        {
            await EnqueueAsync(TestJobs.New());
        }

        Assert.Equal(2, (await FetchAsync(2)).Count);
        Assert.Equal(3, (await FetchAsync(10)).Count);
        Assert.Empty(await FetchAsync(10));
    }

    [Fact]
    public async Task Fetched_job_carries_its_payload_first_attempt_and_a_lease_token()
    {
        var job = TestJobs.New("send-email", Priority.High, maxRetries: 5, payload: """{"to":"a@b.c"}""") with { Timeout = TimeSpan.FromSeconds(42), TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
        await Store.EnqueueAsync(job);

        var leased = Assert.Single(await FetchAsync(1));

        Assert.Equal(job.Id, leased.Id);
        Assert.Equal("send-email", leased.Name);
        Assert.Equal(Q, leased.Queue);
        Assert.Equal(Priority.High, leased.Priority);
        Assert.Equal("""{"to":"a@b.c"}""", TestJobs.Text(leased.Payload));
        Assert.Equal(1, leased.Attempt);
        Assert.Equal(5, leased.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(42), leased.Timeout);
        Assert.Equal(job.TraceParent, leased.TraceParent);
        Assert.False(string.IsNullOrEmpty(leased.LeaseToken));
        Assert.Equal(JobState.Active, (await Store.GetJobAsync(Q, job.Id))!.State);
    }

    [Fact]
    public async Task Each_attempt_gets_a_new_lease_token()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var first = Assert.Single(await FetchAsync(1));
        await CompleteAsync(first, CompletionKind.Release);

        var second = Assert.Single(await FetchAsync(1));

        Assert.Equal(id, second.Id);
        Assert.NotEqual(first.LeaseToken, second.LeaseToken);
    }

    [Fact]
    public async Task Bulk_enqueue_returns_ids_in_input_order_and_keeps_fifo_order()
    {
        var jobs = Enumerable.Range(0, 20).Select(i => TestJobs.New($"bulk-{i}")).ToArray();

        var results = await Store.EnqueueManyAsync(jobs);

        Assert.Equal(jobs.Select(j => j.Id), results.Select(r => r.Id));
        Assert.All(results, r => Assert.True(r.Created));
        var fetched = await FetchAsync(50);
        Assert.Equal(jobs.Select(j => j.Id), fetched.Select(j => j.Id));
    }

    [Fact]
    public async Task Re_sending_a_stored_job_id_stores_nothing_twice()
    {
        // A client whose enqueue timed out after the store had it re-sends the same NewJob: it must not run twice.
        var job = TestJobs.New();
        var first = await Store.EnqueueAsync(job);

        var again = await Store.EnqueueAsync(job);

        Assert.True(first.Created);
        Assert.Equal(new EnqueueResult(job.Id, Created: false), again);
        Assert.Single(await FetchAsync(50));
    }
}
