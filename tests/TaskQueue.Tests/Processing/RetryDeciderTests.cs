using TaskQueue.Processing;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.Tests.Processing;

public sealed class RetryDeciderTests
{
    private static readonly LeaseHandle Lease = new("default", JobId.New(), "token");
    private static readonly RetryPolicy Fixed = new(RetryStrategy.Fixed, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7));

    [Theory]
    [InlineData(FailureKind.Exception)]
    [InlineData(FailureKind.Timeout)]
    [InlineData(FailureKind.LeaseExpired)]
    public void Retryable_failure_is_retried_after_the_jobs_backoff_while_retries_are_left_then_dead_lettered(FailureKind kind)
    {
        var decider = new RetryDecider(TimeSpan.FromHours(1));

        var retry = decider.Decide(Lease, kind, attempt: 3, maxRetries: 3, Fixed, deferrals: 0, "boom");
        var dead = decider.Decide(Lease, kind, attempt: 4, maxRetries: 3, Fixed, deferrals: 0, "boom");

        Assert.Equal(CompletionKind.Retry, retry.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), retry.RetryDelay);
        Assert.Equal("boom", retry.Error);
        Assert.Equal(Lease, retry.Lease);
        Assert.Equal(CompletionKind.DeadLetter, dead.Kind);
    }

    [Fact]
    public void Invalid_payload_is_dead_lettered_at_once()
    {
        var completion = new RetryDecider(TimeSpan.FromHours(1)).Decide(Lease, FailureKind.InvalidPayload, 1, 10, Fixed, 0, "bad json");

        Assert.Equal(CompletionKind.DeadLetter, completion.Kind);
    }

    [Fact]
    public void Unknown_job_is_deferred_with_a_doubling_delay_capped_at_a_minute_until_the_deferrals_waited_the_grace_time()
    {
        var decider = new RetryDecider(TimeSpan.FromMinutes(3));
        var delays = new List<TimeSpan>();
        var deferrals = 0;
        JobCompletion completion;
        while ((completion = decider.Decide(Lease, FailureKind.UnknownJob, 1, 0, Fixed, deferrals, "unknown")).Kind == CompletionKind.Defer)
        {
            delays.Add(completion.RetryDelay);
            deferrals++;
            Assert.True(deferrals < 100, "never dead-lettered");
        }

        Assert.Equal(CompletionKind.DeadLetter, completion.Kind);
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], delays.Select(d => d.TotalSeconds));
        // Dead-lettered only once the waits add up to the grace time, never before.
        Assert.True(delays.Take(delays.Count - 1).Sum(d => d.TotalSeconds) < 180);
        Assert.True(delays.Sum(d => d.TotalSeconds) >= 180);
    }

    [Fact]
    public void Zero_grace_time_dead_letters_an_unknown_job_at_once()
    {
        var completion = new RetryDecider(TimeSpan.Zero).Decide(Lease, FailureKind.UnknownJob, 1, 5, Fixed, 0, "unknown");

        Assert.Equal(CompletionKind.DeadLetter, completion.Kind);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999999)]
    public void Exponential_jitter_is_equal_jitter_between_half_and_all_of_the_capped_delay(double jitter)
    {
        var policy = new RetryPolicy(RetryStrategy.ExponentialJitter, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        for (var retry = 1; retry <= 8; retry++)
        {
            var full = TimeSpan.FromSeconds(Math.Min(2 * Math.Pow(2, retry - 1), 20));
            var delay = policy.GetDelay(retry, jitter);
            Assert.InRange(delay, full / 2, full);
            Assert.InRange((delay - (full / 2) - (full / 2 * jitter)).Duration(), TimeSpan.Zero, TimeSpan.FromTicks(1));
        }
    }
}
