using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    [Fact]
    public void Default_payload_limit_is_one_mebibyte()
        => Assert.Equal(1024 * 1024, Store.MaxPayloadBytes);

    [Fact]
    public async Task Payload_over_the_limit_is_rejected_naming_the_job_size_and_limit_and_nothing_is_stored()
    {
        var limit = Store.MaxPayloadBytes;
        var job = TestJobs.New(name: "huge-job") with { Payload = new byte[limit + 1] };

        var single = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.EnqueueAsync(job));
        var bulk = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.EnqueueManyAsync([TestJobs.New(), job]));

        foreach (var error in new[] { single, bulk })
        {
            Assert.Contains("'huge-job'", error.Message);
            Assert.Contains(job.Id.ToString(), error.Message);
            Assert.Contains($"{limit + 1} bytes", error.Message);
            Assert.Contains($"limit of {limit} bytes", error.Message);
        }

        Assert.Equal("jobs[1]", bulk.ParamName);
        Assert.Null(await Store.GetJobAsync(Q, job.Id));
        Assert.Empty(await FetchAsync(10));
    }

    [Fact]
    public async Task Payload_exactly_at_the_limit_is_accepted_and_delivered_intact()
    {
        var payload = new byte[Store.MaxPayloadBytes];
        Random.Shared.NextBytes(payload);
        var id = await EnqueueAsync(TestJobs.New() with { Payload = payload });

        var leased = Assert.Single(await FetchAsync(1));
        Assert.Equal(id, leased.Id);
        Assert.True(payload.AsSpan().SequenceEqual(leased.Payload.Span));
    }

    [Fact]
    public async Task Stored_payload_over_a_lowered_limit_is_dead_lettered_at_fetch_and_the_rest_of_the_batch_is_delivered()
    {
        var before = await EnqueueAsync(TestJobs.New(payload: "{}"));
        var big = await EnqueueAsync(TestJobs.New(name: "big-job", payload: new string('x', 100)));
        var after = await EnqueueAsync(TestJobs.New(payload: "{}"));

        var lowered = await WithMaxPayloadBytesAsync(50);
        try
        {
            var leased = await lowered.FetchAsync(new FetchRequest(Q, 10, LongLease, WorkerId));

            Assert.Equal([before, after], leased.Select(j => j.Id));
            var dead = Assert.Single((await ((IJobAdmin)lowered).ListJobsAsync(Q, JobListState.Dead, 0, 10)).Jobs);
            Assert.Equal(big, dead.Id);
            Assert.Equal(JobState.Dead, dead.State);
            Assert.Contains("100 bytes", dead.LastError);
            Assert.Contains("limit of 50 bytes", dead.LastError);
            Assert.Empty(await lowered.FetchAsync(new FetchRequest(Q, 10, LongLease, WorkerId)));
        }
        finally
        {
            if (!ReferenceEquals(lowered, Store) && lowered is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
