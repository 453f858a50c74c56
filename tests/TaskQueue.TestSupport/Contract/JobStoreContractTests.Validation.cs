using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

public abstract partial class JobStoreContractTests
{
    /// <summary>Every invalid <see cref="NewJob"/>, by case name, with the words its error must contain (field and value).</summary>
    public static TheoryData<string> InvalidJobCases => [.. InvalidJobs.Keys];

    private static readonly Dictionary<string, (Func<NewJob, NewJob> Break, string[] Mentions)> InvalidJobs = new()
    {
        ["empty name"] = (j => j with { Name = "" }, ["Name", "''"]),
        ["name with a space"] = (j => j with { Name = "send email" }, ["Name", "'send email'"]),
        ["empty id"] = (j => j with { Id = default }, ["Id", "'invalid-job'"]),
        ["bad queue"] = (j => j with { Queue = "no spaces" }, ["Queue", "'no spaces'"]),
        ["undefined priority"] = (j => j with { Priority = (Priority)9 }, ["Priority", "9"]),
        ["negative retries"] = (j => j with { MaxRetries = -1 }, ["MaxRetries", "-1"]),
        ["zero timeout"] = (j => j with { Timeout = TimeSpan.Zero }, ["Timeout", "00:00:00"]),
        ["negative timeout"] = (j => j with { Timeout = TimeSpan.FromSeconds(-1) }, ["Timeout", "-00:00:01"]),
        ["run-at and delay"] = (j => j with { RunAt = DateTimeOffset.UtcNow, Delay = TimeSpan.FromSeconds(1) }, ["RunAt", "Delay"]),
        ["negative delay"] = (j => j with { Delay = TimeSpan.FromSeconds(-1) }, ["Delay", "-00:00:01"]),
        ["empty idempotency key"] = (j => j with { IdempotencyKey = "" }, ["IdempotencyKey", "0"]),
        ["600-character idempotency key"] = (j => j with { IdempotencyKey = new string('k', 600) }, ["IdempotencyKey", "600"]),
        ["trace context with a line break"] = (j => j with { TraceParent = "00-abc\n" }, ["TraceParent", "00-abc"]),
        ["zero idempotency ttl"] = (j => j with { IdempotencyKey = "k", IdempotencyTtl = TimeSpan.Zero }, ["IdempotencyTtl", "00:00:00"]),
    };

    [Theory]
    [MemberData(nameof(InvalidJobCases))]
    public async Task Invalid_job_is_rejected_naming_the_job_field_and_value_and_nothing_is_stored(string invalidCase)
    {
        var (breakJob, mentions) = InvalidJobs[invalidCase];
        var job = breakJob(TestJobs.New(name: "invalid-job"));

        var single = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.EnqueueAsync(job));
        var bulk = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.EnqueueManyAsync([TestJobs.New(), job]));

        foreach (var error in new[] { single, bulk })
        {
            Assert.All(mentions, m => Assert.Contains(m, error.Message));
        }

        Assert.Equal("jobs[1]", bulk.ParamName);
        Assert.Empty(await FetchAsync(10));
        Assert.Equal(0, (await Admin.GetQueueStatsAsync(Q)).Pending + (await Admin.GetQueueStatsAsync(Q)).Scheduled);
    }

    [Fact]
    public async Task Job_at_the_validation_limits_is_accepted()
    {
        var job = TestJobs.New(name: new string('n', JobNames.MaxLength), maxRetries: 0) with
        {
            IdempotencyKey = new string('k', NewJob.MaxIdempotencyKeyLength),
            Timeout = TimeSpan.FromMilliseconds(1),
            Delay = TimeSpan.Zero,
        };

        Assert.True((await Store.EnqueueAsync(job)).Created);
        Assert.Equal(job.Id, Assert.Single(await FetchAsync(1)).Id);
    }
}
