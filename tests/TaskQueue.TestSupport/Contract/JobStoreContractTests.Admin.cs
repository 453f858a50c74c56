using TaskQueue.Admin;
using TaskQueue.Storage;
using Xunit;

namespace TaskQueue.TestSupport;

/// <summary>The operator interface (<see cref="IJobAdmin"/>): listings, actions and their effect on counts.</summary>
public abstract partial class JobStoreContractTests
{
    private static readonly TimeSpan Later = TimeSpan.FromHours(1);

    // ---- listing jobs by state -----------------------------------------------------------------------------------

    [Fact]
    public async Task Pending_jobs_are_listed_by_priority_then_oldest_first_in_stable_pages()
    {
        var low = await EnqueueAsync(TestJobs.New(priority: Priority.Low));
        var normal1 = await EnqueueAsync(TestJobs.New());
        var critical = await EnqueueAsync(TestJobs.New(priority: Priority.Critical));
        var normal2 = await EnqueueAsync(TestJobs.New());
        var high = await EnqueueAsync(TestJobs.New(priority: Priority.High));

        var first = await Admin.ListJobsAsync(Q, JobListState.Pending, 0, 2);
        var second = await Admin.ListJobsAsync(Q, JobListState.Pending, 2, 2);
        var third = await Admin.ListJobsAsync(Q, JobListState.Pending, 4, 2);

        Assert.Equal([critical, high, normal1, normal2, low], first.Jobs.Concat(second.Jobs).Concat(third.Jobs).Select(j => j.Id));
        Assert.All([first, second, third], page => Assert.Equal(5, page.Total));
        Assert.Equal(2, second.Offset);
        Assert.Empty((await Admin.ListJobsAsync(Q, JobListState.Pending, 5, 10)).Jobs);

        // The order workers fetch in.
        Assert.Equal([critical, high, normal1, normal2, low], (await FetchAsync(5)).Select(j => j.Id));
    }

    [Fact]
    public async Task Each_state_lists_its_own_jobs_with_its_total()
    {
        var scheduled = await EnqueueAsync(TestJobs.New() with { Delay = Later });
        var retrying = await EnqueueAsync(TestJobs.New());
        var running = await EnqueueAsync(TestJobs.New());
        var dead = await EnqueueAsync(TestJobs.New(maxRetries: 0));
        var succeeded = await EnqueueAsync(TestJobs.New());
        var cancelled = await EnqueueAsync(TestJobs.New());
        var pending = await EnqueueAsync(TestJobs.New(priority: Priority.Low));
        Assert.True(await Store.CancelAsync(Q, cancelled));

        var leased = (await FetchAsync(4)).ToDictionary(j => j.Id);
        Assert.Equal(4, leased.Count);
        Assert.Empty(await Store.CompleteAsync(
        [
            Completion(leased[retrying], CompletionKind.Retry) with { RetryDelay = Later },
            Completion(leased[dead], CompletionKind.DeadLetter),
            Completion(leased[succeeded], CompletionKind.Succeeded),
        ]));

        Assert.Equal([pending], await IdsIn(JobListState.Pending));
        Assert.Equal([scheduled], await IdsIn(JobListState.Scheduled));
        Assert.Equal([retrying], await IdsIn(JobListState.Retrying));
        Assert.Equal([running], await IdsIn(JobListState.Running));
        Assert.Equal([dead], await IdsIn(JobListState.Dead));
        Assert.Equal([succeeded], await IdsIn(JobListState.Succeeded));
        Assert.Equal([cancelled], await IdsIn(JobListState.Cancelled));
        foreach (var state in Enum.GetValues<JobListState>())
        {
            Assert.Equal(1, (await Admin.ListJobsAsync(Q, state, 0, 10)).Total);
        }
    }

    [Fact]
    public async Task Finished_jobs_are_listed_most_recent_first()
    {
        var ids = new List<JobId>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await EnqueueAsync(TestJobs.New()));
            await CompleteAsync(Assert.Single(await FetchAsync(1)), CompletionKind.Succeeded);
        }

        var cancelled = new List<JobId>();
        for (var i = 0; i < 3; i++)
        {
            cancelled.Add(await EnqueueAsync(TestJobs.New()));
            Assert.True(await Store.CancelAsync(Q, cancelled[^1]));
            await Task.Delay(5);
        }

        Assert.Equal(ids.AsEnumerable().Reverse(), await IdsIn(JobListState.Succeeded));
        Assert.Equal([ids[1], ids[0]], (await Admin.ListJobsAsync(Q, JobListState.Succeeded, 1, 5)).Jobs.Select(j => j.Id));
        Assert.Equal(cancelled.AsEnumerable().Reverse(), await IdsIn(JobListState.Cancelled));
    }

    [Fact]
    public async Task A_running_job_shows_its_worker_start_and_lease_deadline()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        Assert.Single(await FetchAsync(1));

        var job = Assert.Single((await Admin.ListJobsAsync(Q, JobListState.Running, 0, 10)).Jobs);
        var read = await Admin.GetJobAsync(Q, id);

        foreach (var info in new[] { job, read! })
        {
            Assert.Equal(JobState.Active, info.State);
            Assert.Equal(1, info.Attempt);
            Assert.Equal(WorkerId, info.WorkerId);
            Assert.InRange(info.StartedAt!.Value, before, DateTimeOffset.UtcNow.AddSeconds(5));
            Assert.InRange(info.LeaseExpiresAt!.Value, info.StartedAt.Value + LongLease - TimeSpan.FromSeconds(1), info.StartedAt.Value + LongLease + TimeSpan.FromSeconds(1));
        }
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(0, 0)]
    [InlineData(0, JobPage.MaxCount + 1)]
    public async Task A_page_out_of_range_is_refused_naming_the_value(int offset, int count)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Admin.ListJobsAsync(Q, JobListState.Pending, offset, count).AsTask());

        Assert.Contains(offset < 0 ? offset.ToString(System.Globalization.CultureInfo.InvariantCulture) : count.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_a_queue_that_never_received_a_job_is_empty()
    {
        var page = await Admin.ListJobsAsync("never-used", JobListState.Dead, 0, 10);

        Assert.Empty(page.Jobs);
        Assert.Equal(0, page.Total);
    }

    // ---- one job in full -----------------------------------------------------------------------------------------

    [Fact]
    public async Task Each_failed_attempt_keeps_its_error_in_order()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 5));
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var leased = Assert.Single(await FetchAsync(1));
            Assert.Empty(await Store.CompleteAsync([Completion(leased, CompletionKind.Retry) with { Error = $"boom {attempt}\n   at Stack.Frame()" }]));
        }

        var job = (await Admin.GetJobAsync(Q, id))!;

        Assert.Equal([1, 2, 3], job.Errors.Select(e => e.Attempt));
        Assert.Equal(["boom 1\n   at Stack.Frame()", "boom 2\n   at Stack.Frame()", "boom 3\n   at Stack.Frame()"], job.Errors.Select(e => e.Error));
        Assert.All(job.Errors, e => Assert.InRange(e.FailedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Equal("boom 3\n   at Stack.Frame()", job.LastError);
    }

    [Fact]
    public async Task Only_the_last_errors_are_kept()
    {
        var id = await EnqueueAsync(TestJobs.New(maxRetries: 20));
        var attempts = JobAttemptError.MaxKept + 2;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var leased = Assert.Single(await FetchAsync(1));
            Assert.Empty(await Store.CompleteAsync([Completion(leased, CompletionKind.Retry) with { Error = $"boom {attempt}" }]));
        }

        var job = (await Admin.GetJobAsync(Q, id))!;

        Assert.Equal(Enumerable.Range(3, JobAttemptError.MaxKept), job.Errors.Select(e => e.Attempt));
        Assert.Equal($"boom {attempts}", job.Errors[^1].Error);
    }

    [Fact]
    public async Task A_requeued_dead_letter_starts_a_new_error_history()
    {
        var id = (await KillAsync(1))[0];
        Assert.Single((await Admin.GetJobAsync(Q, id))!.Errors);

        Assert.True(await Admin.RequeueDeadLetterAsync(Q, id));

        Assert.Empty((await Admin.GetJobAsync(Q, id))!.Errors);
    }

    // ---- actions -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Deleting_removes_a_job_in_any_state_and_its_count()
    {
        var dead = (await KillAsync(1))[0];
        var pending = await EnqueueAsync(TestJobs.New(priority: Priority.Low));
        var scheduled = await EnqueueAsync(TestJobs.New() with { Delay = Later });
        var succeeded = await EnqueueAsync(TestJobs.New(priority: Priority.Critical));
        await CompleteAsync(Assert.Single(await FetchAsync(1)), CompletionKind.Succeeded);
        var retrying = await EnqueueAsync(TestJobs.New(priority: Priority.Critical));
        Assert.Empty(await Store.CompleteAsync([Completion(Assert.Single(await FetchAsync(1)), CompletionKind.Retry) with { RetryDelay = Later }]));

        foreach (var id in new[] { pending, scheduled, dead, succeeded, retrying })
        {
            Assert.True(await Admin.DeleteJobAsync(Q, id), $"delete {id}");
            Assert.Null(await Admin.GetJobAsync(Q, id));
            Assert.False(await Admin.DeleteJobAsync(Q, id));
        }

        var stats = await Admin.GetQueueStatsAsync(Q);
        Assert.Equal(0, stats.Pending + stats.Scheduled + stats.Retrying + stats.Active + stats.Dead);
        Assert.Empty((await Admin.ListJobsAsync(Q, JobListState.Succeeded, 0, 10)).Jobs);
        Assert.Empty(await FetchAsync(10));
    }

    [Fact]
    public async Task Deleting_a_running_job_fires_its_cancellation_and_rejects_its_completion()
    {
        var id = await EnqueueAsync(TestJobs.New());
        var leased = Assert.Single(await FetchAsync(1));
        var cancelled = new TaskCompletionSource<JobId>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await Store.SubscribeToCancellationsAsync(cancelledId => cancelled.TrySetResult(cancelledId));

        Assert.True(await Admin.DeleteJobAsync(Q, id));

        Assert.Equal(id, await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Single(await Store.CompleteAsync([Completion(leased, CompletionKind.Succeeded)]));
        Assert.Null(await Admin.GetJobAsync(Q, id));
        Assert.Equal(0, (await Admin.GetQueueStatsAsync(Q)).Active);
    }

    [Fact]
    public async Task Run_now_makes_a_scheduled_or_retrying_job_ready_at_once()
    {
        var scheduled = await EnqueueAsync(TestJobs.New() with { Delay = Later });
        var retrying = await EnqueueAsync(TestJobs.New());
        Assert.Empty(await Store.CompleteAsync([Completion(Assert.Single(await FetchAsync(1)), CompletionKind.Retry) with { RetryDelay = Later }]));

        Assert.True(await Admin.RunNowAsync(Q, scheduled));
        Assert.True(await Admin.RunNowAsync(Q, retrying));

        var stats = await Admin.GetQueueStatsAsync(Q);
        Assert.Equal((2, 0, 0), (stats.Pending, stats.Scheduled, stats.Retrying));
        var fetched = (await FetchAsync(10)).ToDictionary(j => j.Id);
        Assert.Equal(1, fetched[scheduled].Attempt);
        Assert.Equal(2, fetched[retrying].Attempt);
    }

    [Fact]
    public async Task Run_now_refuses_jobs_that_are_not_waiting()
    {
        var dead = (await KillAsync(1))[0];
        var pending = await EnqueueAsync(TestJobs.New());

        Assert.False(await Admin.RunNowAsync(Q, pending));
        Assert.False(await Admin.RunNowAsync(Q, dead));
        Assert.False(await Admin.RunNowAsync(Q, JobId.New()));
        Assert.Equal(JobState.Dead, (await Admin.GetJobAsync(Q, dead))!.State);
    }

    [Fact]
    public async Task Dead_letters_are_requeued_by_job_name_or_error_text()
    {
        var emails = new List<JobId>();
        var reports = new List<JobId>();
        for (var i = 0; i < 3; i++)
        {
            emails.Add(await KillWithAsync("send-email", $"SmtpException: mailbox {i} full"));
            reports.Add(await KillWithAsync("build-report", "TimeoutException: too slow"));
        }

        var other = await KillWithAsync("build-report", "OutOfMemoryException");

        Assert.Equal(3, await Admin.RequeueDeadLettersAsync(Q, new DeadLetterFilter { JobName = "send-email" }));
        Assert.Equal(reports.Append(other).Order(), (await Admin.ListDeadLettersAsync(Q, 0, 10)).Select(j => j.Id).Order());

        Assert.Equal(3, await Admin.RequeueDeadLettersAsync(Q, new DeadLetterFilter { JobName = "build-report", ErrorContains = "too slow" }));
        Assert.Equal([other], (await Admin.ListDeadLettersAsync(Q, 0, 10)).Select(j => j.Id));
        Assert.Equal(emails.Concat(reports).Order(), (await FetchAsync(10)).Select(j => j.Id).Order());
    }

    [Fact]
    public async Task Dead_letters_are_deleted_by_filter_and_all()
    {
        var keep = await KillWithAsync("send-email", "SmtpException: mailbox full");
        await KillWithAsync("build-report", "TimeoutException: too slow");
        await KillWithAsync("build-report", "TimeoutException: too slow");

        Assert.Equal(2, await Admin.DeleteDeadLettersAsync(Q, new DeadLetterFilter { ErrorContains = "Timeout" }));
        Assert.Equal([keep], (await Admin.ListDeadLettersAsync(Q, 0, 10)).Select(j => j.Id));
        Assert.Equal(0, await Admin.DeleteDeadLettersAsync(Q, new DeadLetterFilter { JobName = "no-such-job" }));

        Assert.Equal(1, await Admin.DeleteDeadLettersAsync(Q, DeadLetterFilter.All));
        Assert.Null(await Admin.GetJobAsync(Q, keep));
        Assert.Equal(0, (await Admin.GetQueueStatsAsync(Q)).Dead);
    }

    // ---- queues, workers, totals, status -------------------------------------------------------------------------

    [Fact]
    public async Task Queues_are_listed_with_their_counts()
    {
        await EnqueueAsync(TestJobs.New(queue: "emails"));
        await EnqueueAsync(TestJobs.New(queue: "emails"));
        await EnqueueAsync(TestJobs.New(queue: "reports") with { Delay = Later });
        await Admin.PauseAsync("reports");

        var queues = await Admin.ListQueuesAsync();

        var emails = Assert.Single(queues, q => q.Queue == "emails");
        var reports = Assert.Single(queues, q => q.Queue == "reports");
        Assert.Equal((2, false), (emails.Pending, emails.Paused));
        Assert.Equal((1, true), (reports.Scheduled, reports.Paused));
        Assert.Equal(queues.Select(q => q.Queue).Order(StringComparer.Ordinal), queues.Select(q => q.Queue));
    }

    [Fact]
    public async Task Daily_totals_end_today_and_count_todays_attempts()
    {
        await EnqueueAsync(TestJobs.New());
        await EnqueueAsync(TestJobs.New());
        await EnqueueAsync(TestJobs.New(maxRetries: 0));
        var leased = await FetchAsync(3);
        await CompleteAsync(leased[0], CompletionKind.Succeeded);
        await CompleteAsync(leased[1], CompletionKind.Succeeded);
        await CompleteAsync(leased[2], CompletionKind.DeadLetter);

        var totals = await Admin.GetDailyTotalsAsync(Q, 7);

        Assert.Equal(7, totals.Count);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.InRange(totals[^1].Day, today.AddDays(-1), today.AddDays(1));
        Assert.Equal(totals[^1].Day.AddDays(-6), totals[0].Day);
        Assert.Equal((2, 1), (totals[^1].Processed, totals[^1].Failed));
        Assert.All(totals.Take(6), t => Assert.Equal((0, 0), (t.Processed, t.Failed)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Admin.GetDailyTotalsAsync(Q, DailyTotals.MaxDays + 1).AsTask());
    }

    [Fact]
    public async Task Workers_show_the_jobs_they_run()
    {
        var worker = new WorkerInfo { Id = "w-admin", Host = "host-a", ProcessId = 42, Queues = [Q], Concurrency = 8, StartedAt = DateTimeOffset.UtcNow, RunningJobs = 3 };

        await Store.HeartbeatWorkerAsync(worker, TimeSpan.FromMinutes(1));

        var listed = Assert.Single(await Admin.ListWorkersAsync(), w => w.Id == "w-admin");
        Assert.Equal((3, 8, "host-a", 42), (listed.RunningJobs, listed.Concurrency, listed.Host, listed.ProcessId));
    }

    [Fact]
    public async Task The_status_says_the_store_answers()
    {
        var status = await Admin.GetStatusAsync();

        Assert.True(status.Available, status.Error);
        Assert.NotNull(status.RoundTrip);
        Assert.False(string.IsNullOrEmpty(status.Kind));
    }

    private async Task<List<JobId>> IdsIn(JobListState state)
        => [.. (await Admin.ListJobsAsync(Q, state, 0, JobPage.MaxCount)).Jobs.Select(j => j.Id)];

    /// <summary>Makes one dead letter of job <paramref name="name"/> that failed with <paramref name="error"/>.</summary>
    private async Task<JobId> KillWithAsync(string name, string error)
    {
        var id = await EnqueueAsync(TestJobs.New(name: name, maxRetries: 0));
        var leased = Assert.Single(await FetchAsync(1));
        Assert.Empty(await Store.CompleteAsync([Completion(leased, CompletionKind.DeadLetter) with { Error = error }]));
        await Task.Delay(2);
        return id;
    }
}
