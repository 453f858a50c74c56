using System.Diagnostics;
using System.Text;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.Testing;

/// <summary>
/// The behaviour every <see cref="IJobStore"/> must have. Subclass it once per backend; each test gets a fresh,
/// empty store from <see cref="CreateStoreAsync"/>. The store's own clock decides due times (Redis reads
/// <c>TIME</c>), so time-dependent tests use short real delays and bounded polling, never a fake clock.
/// </summary>
public abstract class JobStoreContractTests : IAsyncLifetime
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

    /// <summary>Creates a fresh, empty store (or namespace) for one test.</summary>
    protected abstract Task<IJobStore> CreateStoreAsync();

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

    // ---- scheduling ---------------------------------------------------------------------------------------

    [Fact]
    public async Task Delayed_job_is_not_fetched_before_it_is_due_and_is_fetched_after()
    {
        var clock = Stopwatch.StartNew();
        var id = await EnqueueAsync(TestJobs.New() with { Delay = ShortDelay });

        var early = await FetchAsync(1);
        var beforeDue = clock.Elapsed;
        Assert.Equal(JobState.Scheduled, (await Store.GetJobAsync(Q, id))!.State);
        var leased = await Eventually.ValueAsync(async () => (await FetchAsync(1)).FirstOrDefault(), "the delayed job to become due");

        if (beforeDue < ShortDelay)
        {
            Assert.Empty(early);
        }

        Assert.Equal(id, leased.Id);
        Assert.True(clock.Elapsed >= ShortDelay - TimeSpan.FromMilliseconds(50), $"fetched after {clock.Elapsed}, before its {ShortDelay} delay");
    }

    [Fact]
    public async Task Job_scheduled_for_an_absolute_time_in_the_past_is_ready_at_once()
    {
        var id = await EnqueueAsync(TestJobs.New() with { RunAt = DateTimeOffset.UtcNow.AddMinutes(-1) });

        Assert.Equal(id, Assert.Single(await FetchAsync(1)).Id);
    }

    [Fact]
    public async Task Job_scheduled_far_ahead_reports_its_due_time_and_counts_as_scheduled()
    {
        var runAt = DateTimeOffset.UtcNow.AddHours(1);
        var id = await EnqueueAsync(TestJobs.New() with { RunAt = runAt });

        var info = await Store.GetJobAsync(Q, id);

        Assert.Equal(JobState.Scheduled, info!.State);
        Assert.NotNull(info.DueAt);
        Assert.True((info.DueAt!.Value - runAt).Duration() < TimeSpan.FromSeconds(1), $"due {info.DueAt:O}, expected {runAt:O}");
        Assert.Empty(await FetchAsync(1));
        var stats = await Store.GetQueueStatsAsync(Q);
        Assert.Equal(1, stats.Scheduled);
        Assert.Equal(0, stats.Pending);
    }

    // ---- completion ---------------------------------------------------------------------------------------

    [Fact]
    public async Task Succeeded_completion_stores_the_result_and_counts_processed()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));

        var rejected = await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded) with { Result = Encoding.UTF8.GetBytes("""{"ok":true}""") }]);

        Assert.Empty(rejected);
        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Succeeded, info!.State);
        Assert.Equal("""{"ok":true}""", TestJobs.Text(info.Result!.Value));
        Assert.NotNull(info.FinishedAt);
        Assert.Equal(1, info.Attempt);
        var stats = await Store.GetQueueStatsAsync(Q);
        Assert.Equal(1, stats.ProcessedToday);
        Assert.Equal(0, stats.Active);
    }

    [Fact]
    public async Task Retry_completion_schedules_the_job_after_its_delay_with_the_error()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 3));
        var first = Assert.Single(await FetchAsync(1));

        await Store.CompleteAsync([Completion(first, CompletionKind.Retry) with { RetryDelay = ShortDelay, Error = "System.IO.IOException: disk full" }]);

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Scheduled, info!.State);
        Assert.Equal("System.IO.IOException: disk full", info.LastError);
        var stats = await Store.GetQueueStatsAsync(Q);
        Assert.Equal(1, stats.Retrying);
        Assert.Equal(0, stats.Scheduled);
        Assert.Equal(1, stats.FailedToday);
        var second = await Eventually.ValueAsync(async () => (await FetchAsync(1)).FirstOrDefault(), "the retry to become due");
        Assert.Equal(id, second.Id);
        Assert.Equal(2, second.Attempt);
    }

    [Fact]
    public async Task Dead_letter_completion_moves_the_job_to_the_dead_letters_with_its_error()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 0));
        var leased = Assert.Single(await FetchAsync(1));

        await Store.CompleteAsync([Completion(leased, CompletionKind.DeadLetter) with { Error = "System.InvalidOperationException: boom" }]);

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Dead, info!.State);
        Assert.Equal("System.InvalidOperationException: boom", info.LastError);
        Assert.Equal(id, Assert.Single(await Store.ListDeadLettersAsync(Q, 0, 10)).Id);
        var stats = await Store.GetQueueStatsAsync(Q);
        Assert.Equal(1, stats.Dead);
        Assert.Equal(1, stats.FailedToday);
        Assert.Empty(await FetchAsync(1));
    }

    [Fact]
    public async Task Job_retried_until_out_of_retries_ends_in_the_dead_letters()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 2));
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var leased = await Eventually.ValueAsync(async () => (await FetchAsync(1)).FirstOrDefault(), $"attempt {attempt}");
            Assert.Equal(attempt, leased.Attempt);
            var kind = attempt <= leased.MaxRetries ? CompletionKind.Retry : CompletionKind.DeadLetter;
            await Store.CompleteAsync([Completion(leased, kind) with { RetryDelay = TimeSpan.Zero, Error = $"failure {attempt}" }]);
        }

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Dead, info!.State);
        Assert.Equal(3, info.Attempt);
        Assert.Equal("failure 3", info.LastError);
        Assert.Equal(3, (await Store.GetQueueStatsAsync(Q)).FailedToday);
    }

    [Fact]
    public async Task Completion_with_a_stale_lease_token_is_rejected_and_changes_nothing()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));
        var stale = Completion(leased, CompletionKind.Succeeded) with { Lease = leased.Lease with { LeaseToken = "not-the-token" } };

        var rejected = await Store.CompleteAsync([stale]);

        Assert.Same(stale, Assert.Single(rejected));
        Assert.Equal(JobState.Active, (await Store.GetJobAsync(Q, id))!.State);
        Assert.Equal(0, (await Store.GetQueueStatsAsync(Q)).ProcessedToday);
    }

    [Fact]
    public async Task Completion_batch_rejects_only_its_stale_entries()
    {
        await EnqueueAsync(TestJobs.New());
        await EnqueueAsync(TestJobs.New());
        var leased = await FetchAsync(2);
        var stale = Completion(leased[1], CompletionKind.Succeeded) with { Lease = leased[1].Lease with { LeaseToken = "stale" } };

        var rejected = await Store.CompleteAsync([Completion(leased[0], CompletionKind.Succeeded), stale]);

        Assert.Same(stale, Assert.Single(rejected));
        Assert.Equal(JobState.Succeeded, (await Store.GetJobAsync(Q, leased[0].Id))!.State);
        Assert.Equal(JobState.Active, (await Store.GetJobAsync(Q, leased[1].Id))!.State);
    }

    [Fact]
    public async Task Second_completion_of_the_same_attempt_is_rejected()
    {
        await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));
        await CompleteAsync(leased, CompletionKind.Succeeded);

        var rejected = await Store.CompleteAsync([Completion(leased, CompletionKind.DeadLetter) with { Error = "late" }]);

        Assert.Single(rejected);
        Assert.Equal(JobState.Succeeded, (await Store.GetJobAsync(Q, leased.Id))!.State);
    }

    [Fact]
    public async Task Release_returns_the_job_to_ready_without_counting_the_attempt()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var first = Assert.Single(await FetchAsync(1));

        await CompleteAsync(first, CompletionKind.Release);

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Pending, info!.State);
        Assert.Equal(0, info.Attempt);
        var again = Assert.Single(await FetchAsync(1));
        Assert.Equal(1, again.Attempt);
        var stats = await Store.GetQueueStatsAsync(Q);
        Assert.Equal(0, stats.FailedToday);
        Assert.Equal(0, stats.ProcessedToday);
    }

    // ---- leases ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task Expired_lease_is_recovered_to_ready_with_the_attempt_counted()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 3));
        var first = Assert.Single(await FetchAsync(1, ShortDelay));

        await Eventually.TrueAsync(async () => await Store.RecoverExpiredLeasesAsync(Q) == 1, "the expired lease to be recovered");

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Pending, info!.State);
        Assert.Equal("lease expired", info.LastError);
        var second = Assert.Single(await FetchAsync(1));
        Assert.Equal(2, second.Attempt);
        Assert.Single(await Store.CompleteAsync([Completion(first, CompletionKind.Succeeded)]));
        Assert.Empty(await Store.CompleteAsync([Completion(second, CompletionKind.Succeeded)]));
    }

    [Fact]
    public async Task Expired_lease_of_a_job_without_retries_left_moves_it_to_the_dead_letters()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 0));
        Assert.Single(await FetchAsync(1, ShortDelay));

        await Eventually.TrueAsync(async () => await Store.RecoverExpiredLeasesAsync(Q) == 1, "the expired lease to be recovered");

        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Dead, info!.State);
        Assert.Equal("lease expired", info.LastError);
        Assert.Equal(1, (await Store.GetQueueStatsAsync(Q)).Dead);
        Assert.Empty(await FetchAsync(1));
    }

    [Fact]
    public async Task Live_lease_is_not_recovered()
    {
        await EnqueueAsync(TestJobs.New());
        Assert.Single(await FetchAsync(1));

        Assert.Equal(0, await Store.RecoverExpiredLeasesAsync(Q));
        Assert.Equal(1, (await Store.GetQueueStatsAsync(Q)).Active);
    }

    [Fact]
    public async Task Extended_lease_is_not_recovered_when_its_first_deadline_passes()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1, ShortDelay));

        var lost = await Store.ExtendLeasesAsync([leased.Lease], LongLease);
        await Task.Delay(ShortDelay * 2);

        Assert.Empty(lost);
        Assert.Equal(0, await Store.RecoverExpiredLeasesAsync(Q));
        Assert.Equal(JobState.Active, (await Store.GetJobAsync(Q, id))!.State);
    }

    [Fact]
    public async Task Extending_a_lease_that_is_no_longer_held_reports_it_lost()
    {
        await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));
        var stale = leased.Lease with { LeaseToken = "stale" };
        var unknown = new LeaseHandle(Q, JobId.New(), "whatever");

        var lost = await Store.ExtendLeasesAsync([leased.Lease, stale, unknown], LongLease);

        Assert.Equal([stale, unknown], lost);
    }

    // ---- idempotency ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Enqueue_with_a_taken_idempotency_key_returns_the_first_job_id()
    {
        var first = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "order-42" });
        var second = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "order-42" });

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(1, (await Store.GetQueueStatsAsync(Q)).Pending);
        Assert.Equal("order-42", (await Store.GetJobAsync(Q, first.Id))!.IdempotencyKey);
    }

    [Fact]
    public async Task Bulk_enqueue_applies_idempotency_keys_within_the_batch()
    {
        var results = await Store.EnqueueManyAsync([TestJobs.New() with { IdempotencyKey = "k" }, TestJobs.New() with { IdempotencyKey = "k" }, TestJobs.New()]);

        Assert.True(results[0].Created);
        Assert.False(results[1].Created);
        Assert.Equal(results[0].Id, results[1].Id);
        Assert.True(results[2].Created);
        Assert.Equal(2, (await Store.GetQueueStatsAsync(Q)).Pending);
    }

    [Fact]
    public async Task Idempotency_keys_are_scoped_per_queue()
    {
        var a = await Store.EnqueueAsync(TestJobs.New(queue: "queue-a") with { IdempotencyKey = "same" });
        var b = await Store.EnqueueAsync(TestJobs.New(queue: "queue-b") with { IdempotencyKey = "same" });

        Assert.True(a.Created);
        Assert.True(b.Created);
        Assert.NotEqual(a.Id, b.Id);
    }

    [Fact]
    public async Task Idempotency_key_is_forgotten_after_its_ttl()
    {
        var first = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "ttl", IdempotencyTtl = ShortDelay });

        Assert.False((await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "ttl", IdempotencyTtl = ShortDelay })).Created);
        var later = await Eventually.ValueAsync(
            async () => await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "ttl", IdempotencyTtl = TimeSpan.FromMinutes(5) }) is { Created: true } r ? (object)r : null,
            "the idempotency key to expire");

        Assert.NotEqual(first.Id, ((EnqueueResult)later).Id);
    }

    [Fact]
    public async Task Unique_until_finished_key_is_held_while_the_job_runs_and_freed_when_it_succeeds()
    {
        var first = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "report", UniqueUntilFinished = true, IdempotencyTtl = ShortDelay });
        var leased = Assert.Single(await FetchAsync(1));
        await Task.Delay(ShortDelay * 2);

        var whileRunning = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "report", UniqueUntilFinished = true });
        await CompleteAsync(leased, CompletionKind.Succeeded);
        var afterSuccess = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "report", UniqueUntilFinished = true });

        Assert.False(whileRunning.Created);
        Assert.Equal(first.Id, whileRunning.Id);
        Assert.True(afterSuccess.Created);
        Assert.NotEqual(first.Id, afterSuccess.Id);
    }

    [Fact]
    public async Task Unique_until_finished_key_is_freed_when_the_job_is_dead_lettered_or_cancelled()
    {
        var dead = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "dead", UniqueUntilFinished = true });
        await CompleteAsync(Assert.Single(await FetchAsync(1)), CompletionKind.DeadLetter);
        var cancelled = await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "cancelled", UniqueUntilFinished = true });
        Assert.True(await Store.CancelAsync(Q, cancelled.Id));

        Assert.True((await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "dead", UniqueUntilFinished = true })).Created);
        Assert.True((await Store.EnqueueAsync(TestJobs.New() with { IdempotencyKey = "cancelled", UniqueUntilFinished = true })).Created);
        Assert.True(dead.Created);
    }

    // ---- cancel -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Cancelled_pending_job_is_never_fetched_and_reads_back_as_cancelled()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var other = await EnqueueAsync(TestJobs.New());

        Assert.True(await Store.CancelAsync(Q, id));

        Assert.Equal(other, Assert.Single(await FetchAsync(10)).Id);
        var info = await Store.GetJobAsync(Q, id);
        Assert.Equal(JobState.Cancelled, info!.State);
        Assert.NotNull(info.FinishedAt);
        Assert.Equal(0, (await Store.GetQueueStatsAsync(Q)).Pending);
    }

    [Fact]
    public async Task Cancelled_scheduled_job_is_never_fetched()
    {
        var id = await EnqueueAsync(TestJobs.New() with { Delay = ShortDelay });

        Assert.True(await Store.CancelAsync(Q, id));
        await Task.Delay(ShortDelay * 2);

        Assert.Empty(await FetchAsync(10));
        Assert.Equal(0, (await Store.GetQueueStatsAsync(Q)).Scheduled);
    }

    [Fact]
    public async Task Cancelling_a_running_job_notifies_subscribers_and_rejects_its_completion()
    {
        var notified = new TaskCompletionSource<JobId>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await Store.SubscribeToCancellationsAsync(id => notified.TrySetResult(id));
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));

        Assert.True(await Store.CancelAsync(Q, id));

        Assert.Equal(id, await notified.Task.WaitAsync(Eventually.DefaultTimeout));
        Assert.Single(await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded)]));
        Assert.Equal(JobState.Cancelled, (await Store.GetJobAsync(Q, id))!.State);
        Assert.Equal(0, (await Store.GetQueueStatsAsync(Q)).Active);
        Assert.Equal([leased.Lease], await Store.ExtendLeasesAsync([leased.Lease], LongLease));
    }

    [Fact]
    public async Task Cancelling_a_finished_or_unknown_job_returns_false()
    {
        var id = await EnqueueAsync(TestJobs.New());
        await CompleteAsync(Assert.Single(await FetchAsync(1)), CompletionKind.Succeeded);

        Assert.False(await Store.CancelAsync(Q, id));
        Assert.False(await Store.CancelAsync(Q, JobId.New()));
        Assert.False(await Store.CancelAsync("never-used", JobId.New()));
    }

    // ---- pause / resume ---------------------------------------------------------------------------------------

    [Fact]
    public async Task Paused_queue_accepts_jobs_but_hands_out_nothing_until_resumed()
    {
        await Store.PauseAsync(Q);
        var id = await EnqueueAsync(TestJobs.New());

        Assert.Empty(await FetchAsync(10));
        Assert.True((await Store.GetQueueStatsAsync(Q)).Paused);

        await Store.ResumeAsync(Q);

        Assert.Equal(id, Assert.Single(await FetchAsync(10)).Id);
        Assert.False((await Store.GetQueueStatsAsync(Q)).Paused);
    }

    [Fact]
    public async Task Pausing_one_queue_leaves_others_running()
    {
        await Store.PauseAsync("paused");
        await EnqueueAsync(TestJobs.New(queue: "paused"));
        var id = await EnqueueAsync(TestJobs.New(queue: "running"));

        Assert.Empty(await Store.FetchAsync(new FetchRequest("paused", 10, LongLease, WorkerId)));
        Assert.Equal(id, Assert.Single(await Store.FetchAsync(new FetchRequest("running", 10, LongLease, WorkerId))).Id);
    }

    // ---- stats, queues ------------------------------------------------------------------------------------------

    [Fact]
    public async Task Stats_count_jobs_by_state()
    {
        await EnqueueAsync(TestJobs.New());
        await EnqueueAsync(TestJobs.New());
        await EnqueueAsync(TestJobs.New());
        await EnqueueAsync(TestJobs.New() with { Delay = TimeSpan.FromHours(1) });
        var leased = await FetchAsync(2);
        await Store.CompleteAsync([
            Completion(leased[0], CompletionKind.Retry) with { RetryDelay = TimeSpan.FromHours(1), Error = "e" },
        ]);
        await EnqueueAsync(TestJobs.New());
        var toKill = Assert.Single(await FetchAsync(1));
        await CompleteAsync(toKill, CompletionKind.DeadLetter);
        var toSucceed = Assert.Single(await FetchAsync(1));
        await CompleteAsync(toSucceed, CompletionKind.Succeeded);

        var stats = await Store.GetQueueStatsAsync(Q);

        Assert.Equal(Q, stats.Queue);
        Assert.Equal(0, stats.Pending);
        Assert.Equal(1, stats.Scheduled);
        Assert.Equal(1, stats.Retrying);
        Assert.Equal(1, stats.Active);
        Assert.Equal(1, stats.Dead);
        Assert.Equal(1, stats.ProcessedToday);
        Assert.Equal(2, stats.FailedToday);
        Assert.False(stats.Paused);
    }

    [Fact]
    public async Task Stats_of_an_unknown_queue_are_zero()
    {
        var stats = await Store.GetQueueStatsAsync("never-used");

        Assert.Equal("never-used", stats.Queue);
        Assert.Equal(0, stats.Pending + stats.Scheduled + stats.Retrying + stats.Active + stats.Dead + stats.ProcessedToday + stats.FailedToday);
    }

    [Fact]
    public async Task Queues_that_received_jobs_are_listed()
    {
        await EnqueueAsync(TestJobs.New(queue: "emails"));
        await EnqueueAsync(TestJobs.New(queue: "reports") with { Delay = TimeSpan.FromHours(1) });

        var queues = await Store.ListQueuesAsync();

        Assert.Contains("emails", queues);
        Assert.Contains("reports", queues);
        Assert.DoesNotContain("never-used", queues);
    }

    // ---- dead letters ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task Dead_letters_are_listed_newest_first_in_pages()
    {
        var ids = await KillAsync(4);

        var firstPage = await Store.ListDeadLettersAsync(Q, 0, 3);
        var secondPage = await Store.ListDeadLettersAsync(Q, 3, 3);

        Assert.Equal(ids.AsEnumerable().Reverse().Take(3), firstPage.Select(j => j.Id));
        Assert.Equal([ids[0]], secondPage.Select(j => j.Id));
        Assert.All(firstPage, j => Assert.Equal(JobState.Dead, j.State));
        Assert.Empty(await Store.ListDeadLettersAsync(Q, 10, 3));
        Assert.Empty(await Store.ListDeadLettersAsync("never-used", 0, 3));
    }

    [Fact]
    public async Task Requeued_dead_letter_runs_again_with_a_fresh_attempt_count()
    {
        var id = (await KillAsync(1))[0];

        Assert.True(await Store.RequeueDeadLetterAsync(Q, id));

        Assert.Empty(await Store.ListDeadLettersAsync(Q, 0, 10));
        Assert.Equal(JobState.Pending, (await Store.GetJobAsync(Q, id))!.State);
        var leased = Assert.Single(await FetchAsync(1));
        Assert.Equal(id, leased.Id);
        Assert.Equal(1, leased.Attempt);
        Assert.False(await Store.RequeueDeadLetterAsync(Q, id));
    }

    [Fact]
    public async Task Requeue_all_moves_every_dead_letter_back_to_ready()
    {
        var ids = await KillAsync(3);

        Assert.Equal(3, await Store.RequeueAllDeadLettersAsync(Q));

        Assert.Empty(await Store.ListDeadLettersAsync(Q, 0, 10));
        Assert.Equal(ids.Order(), (await FetchAsync(10)).Select(j => j.Id).Order());
        Assert.Equal(0, await Store.RequeueAllDeadLettersAsync(Q));
    }

    [Fact]
    public async Task Deleted_dead_letter_is_gone()
    {
        var ids = await KillAsync(2);

        Assert.True(await Store.DeleteDeadLetterAsync(Q, ids[0]));

        Assert.Equal([ids[1]], (await Store.ListDeadLettersAsync(Q, 0, 10)).Select(j => j.Id));
        Assert.Null(await Store.GetJobAsync(Q, ids[0]));
        Assert.False(await Store.DeleteDeadLetterAsync(Q, ids[0]));
        Assert.Equal(1, (await Store.GetQueueStatsAsync(Q)).Dead);
    }

    [Fact]
    public async Task Only_dead_letters_can_be_requeued_or_deleted_as_dead_letters()
    {
        var pending = await EnqueueAsync(TestJobs.New());

        Assert.False(await Store.RequeueDeadLetterAsync(Q, pending));
        Assert.False(await Store.DeleteDeadLetterAsync(Q, pending));
        Assert.Equal(JobState.Pending, (await Store.GetJobAsync(Q, pending))!.State);
    }

    [Fact]
    public async Task Trim_by_count_deletes_the_oldest_dead_letters()
    {
        var ids = await KillAsync(5);

        Assert.Equal(3, await Store.TrimDeadLettersAsync(Q, maxCount: 2, maxAge: TimeSpan.FromDays(7)));

        Assert.Equal([ids[4], ids[3]], (await Store.ListDeadLettersAsync(Q, 0, 10)).Select(j => j.Id));
        Assert.Null(await Store.GetJobAsync(Q, ids[0]));
    }

    [Fact]
    public async Task Trim_by_age_deletes_dead_letters_older_than_the_limit()
    {
        var old = await KillAsync(2);
        await Task.Delay(ShortDelay * 2);
        var fresh = await KillAsync(1);

        Assert.Equal(2, await Store.TrimDeadLettersAsync(Q, maxCount: 100, maxAge: ShortDelay));

        Assert.Equal(fresh, (await Store.ListDeadLettersAsync(Q, 0, 10)).Select(j => j.Id));
        Assert.Null(await Store.GetJobAsync(Q, old[0]));
    }

    // ---- progress, results, reads ---------------------------------------------------------------------------------

    [Fact]
    public async Task Progress_is_recorded_for_the_current_lease_only()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));

        Assert.True(await Store.SetProgressAsync(Q, id, leased.LeaseToken, 42.5));
        Assert.False(await Store.SetProgressAsync(Q, id, "stale", 99));
        Assert.False(await Store.SetProgressAsync(Q, JobId.New(), leased.LeaseToken, 10));

        Assert.Equal(42.5, (await Store.GetJobAsync(Q, id))!.Progress);
    }

    [Fact]
    public async Task Progress_outside_0_to_100_is_rejected()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.SetProgressAsync(Q, id, leased.LeaseToken, 101));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.SetProgressAsync(Q, id, leased.LeaseToken, -1));
    }

    [Fact]
    public async Task Succeeded_job_without_a_result_reads_back_with_no_result()
    {
        var id = await EnqueueAsync(TestJobs.New());
        await CompleteAsync(Assert.Single(await FetchAsync(1)), CompletionKind.Succeeded);

        var info = await Store.GetJobAsync(Q, id);

        Assert.Equal(JobState.Succeeded, info!.State);
        Assert.Null(info.Result);
    }

    [Fact]
    public async Task Pending_job_reads_back_with_its_fields()
    {
        var job = TestJobs.New("read-me", Priority.Low, maxRetries: 7, payload: """{"n":1}""");
        await Store.EnqueueAsync(job);

        var info = await Store.GetJobAsync(Q, job.Id);

        Assert.NotNull(info);
        Assert.Equal(job.Id, info.Id);
        Assert.Equal("read-me", info.Name);
        Assert.Equal(Q, info.Queue);
        Assert.Equal(Priority.Low, info.Priority);
        Assert.Equal(JobState.Pending, info.State);
        Assert.Equal(0, info.Attempt);
        Assert.Equal(7, info.MaxRetries);
        Assert.Equal("""{"n":1}""", TestJobs.Text(info.Payload));
        Assert.True((DateTimeOffset.UtcNow - info.EnqueuedAt).Duration() < TimeSpan.FromMinutes(1), $"enqueued at {info.EnqueuedAt:O}");
        Assert.Null(info.FinishedAt);
        Assert.Null(info.LastError);
    }

    [Fact]
    public async Task Unknown_ids_are_reported_as_unknown_everywhere()
    {
        var unknown = JobId.New();
        var lease = new LeaseHandle(Q, unknown, "token");

        Assert.Null(await Store.GetJobAsync(Q, unknown));
        Assert.Null(await Store.GetJobAsync("never-used", unknown));
        Assert.False(await Store.CancelAsync(Q, unknown));
        Assert.False(await Store.RequeueDeadLetterAsync(Q, unknown));
        Assert.False(await Store.DeleteDeadLetterAsync(Q, unknown));
        Assert.False(await Store.SetProgressAsync(Q, unknown, "token", 5));
        Assert.Single(await Store.CompleteAsync([new JobCompletion { Lease = lease, Kind = CompletionKind.Succeeded }]));
        Assert.Equal([lease], await Store.ExtendLeasesAsync([lease], LongLease));
        Assert.Equal(0, await Store.RecoverExpiredLeasesAsync(Q));
    }

    // ---- workers ----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Worker_heartbeat_registers_it_and_removal_unregisters_it()
    {
        var worker = new WorkerInfo { Id = "w-1", Host = "host-a", ProcessId = 1234, Queues = ["default", "emails"], Concurrency = 8, StartedAt = DateTimeOffset.UtcNow };

        await Store.HeartbeatWorkerAsync(worker, TimeSpan.FromMinutes(1));
        var listed = Assert.Single(await Store.ListWorkersAsync());

        Assert.Equal("w-1", listed.Id);
        Assert.Equal("host-a", listed.Host);
        Assert.Equal(1234, listed.ProcessId);
        Assert.Equal(["default", "emails"], listed.Queues);
        Assert.Equal(8, listed.Concurrency);
        Assert.NotNull(listed.LastSeen);

        await Store.RemoveWorkerAsync("w-1");

        Assert.Empty(await Store.ListWorkersAsync());
    }

    [Fact]
    public async Task Worker_that_stops_heartbeating_disappears_after_its_ttl()
    {
        var worker = new WorkerInfo { Id = "w-ttl", Host = "h", ProcessId = 1, Queues = ["default"], Concurrency = 1, StartedAt = DateTimeOffset.UtcNow };
        await Store.HeartbeatWorkerAsync(worker, ShortDelay);
        await Store.HeartbeatWorkerAsync(worker with { Id = "w-live" }, TimeSpan.FromMinutes(1));

        await Eventually.TrueAsync(async () => (await Store.ListWorkersAsync()).All(w => w.Id != "w-ttl"), "the silent worker to expire");

        Assert.Equal("w-live", Assert.Single(await Store.ListWorkersAsync()).Id);
    }

    // ---- waiting for work ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task Wait_for_work_wakes_on_enqueue_long_before_max_wait()
    {
        var clock = Stopwatch.StartNew();
        var waiting = Store.WaitForWorkAsync([Q], TimeSpan.FromSeconds(30)).AsTask();
        await Task.Delay(100);

        await EnqueueAsync(TestJobs.New());
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"woke after {clock.Elapsed}");
    }

    [Fact]
    public async Task Wait_for_work_wakes_when_a_scheduled_job_falls_due()
    {
        await EnqueueAsync(TestJobs.New() with { Delay = ShortDelay });

        await Store.WaitForWorkAsync([Q], TimeSpan.FromSeconds(30)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        await Eventually.TrueAsync(async () => (await FetchAsync(1)).Count == 1, "the due job to be fetchable");
    }

    [Fact]
    public async Task Wait_for_work_returns_after_max_wait_when_nothing_happens()
    {
        await Store.WaitForWorkAsync([Q, "other"], ShortDelay).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Wait_for_work_ignores_enqueues_to_queues_it_does_not_watch()
    {
        var waiting = Store.WaitForWorkAsync([Q], TimeSpan.FromSeconds(1)).AsTask();
        await EnqueueAsync(TestJobs.New(queue: "elsewhere"));
        await Task.Delay(100);

        Assert.False(waiting.IsCompleted);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
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
