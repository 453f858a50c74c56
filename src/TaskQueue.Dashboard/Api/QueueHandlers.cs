using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TaskQueue.Admin;

namespace TaskQueue.Dashboard.Api;

/// <summary>Queues, their jobs by state, one job, and the actions on jobs and queues.</summary>
internal static class QueueHandlers
{
    public static async Task<Ok<IReadOnlyList<QueueResponse>>> ListQueues([FromServices] IJobAdmin admin, CancellationToken ct)
    {
        var queues = await admin.ListQueuesAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<QueueResponse>>(queues.Select(ApiModels.ToResponse).ToArray());
    }

    public static async Task<Results<Ok<QueueResponse>, ProblemHttpResult>> GetQueue(string queue, [FromServices] IJobAdmin admin, CancellationToken ct)
    {
        if (ApiProblems.CheckQueue(queue) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(ApiModels.ToResponse(await admin.GetQueueStatsAsync(queue, ct).ConfigureAwait(false)));
    }

    public static async Task<Results<Ok<QueueActionResponse>, ProblemHttpResult>> Pause(string queue, [FromServices] IJobAdmin admin, CancellationToken ct)
    {
        if (ApiProblems.CheckQueue(queue) is { } problem)
        {
            return problem;
        }

        await admin.PauseAsync(queue, ct).ConfigureAwait(false);
        return TypedResults.Ok(new QueueActionResponse(queue, Paused: true));
    }

    public static async Task<Results<Ok<QueueActionResponse>, ProblemHttpResult>> Resume(string queue, [FromServices] IJobAdmin admin, CancellationToken ct)
    {
        if (ApiProblems.CheckQueue(queue) is { } problem)
        {
            return problem;
        }

        await admin.ResumeAsync(queue, ct).ConfigureAwait(false);
        return TypedResults.Ok(new QueueActionResponse(queue, Paused: false));
    }

    public static async Task<Results<Ok<DailyTotalsListResponse>, ProblemHttpResult>> Daily(string queue, string? days, [FromServices] IJobAdmin admin, CancellationToken ct)
    {
        var problem = ApiProblems.CheckQueue(queue);
        var count = 7;
        problem ??= ApiProblems.CheckInt("days", days, 7, 1, DailyTotals.MaxDays, out count);
        if (problem is not null)
        {
            return problem;
        }

        var totals = await admin.GetDailyTotalsAsync(queue, count, ct).ConfigureAwait(false);
        return TypedResults.Ok(new DailyTotalsListResponse(queue, totals
            .Select(d => new DailyTotalsResponse(d.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), d.Processed, d.Failed)).ToArray()));
    }

    public static async Task<Results<Ok<JobPageResponse>, ProblemHttpResult>> ListJobs(string queue, string? state, string? offset, string? count, [FromServices] IJobAdmin admin, CancellationToken ct)
    {
        if (ApiProblems.CheckQueue(queue) is { } problem)
        {
            return problem;
        }

        var listState = JobListState.Pending;
        if (state is not null && !ApiModels.TryParseListState(state, out listState))
        {
            return ApiProblems.BadRequest("state", $"'state' must be one of {string.Join(", ", ApiModels.ListStates)}, but was '{ApiProblems.Shorten(state)}'.", value: ApiProblems.Shorten(state));
        }

        return await Page(queue, listState, offset, count, admin, ct).ConfigureAwait(false);
    }

    public static Task<Results<Ok<JobPageResponse>, ProblemHttpResult>> ListDeadLetters(string queue, string? offset, string? count, [FromServices] IJobAdmin admin, CancellationToken ct)
        => ApiProblems.CheckQueue(queue) is { } problem
            ? Task.FromResult<Results<Ok<JobPageResponse>, ProblemHttpResult>>(problem)
            : Page(queue, JobListState.Dead, offset, count, admin, ct);

    private static async Task<Results<Ok<JobPageResponse>, ProblemHttpResult>> Page(string queue, JobListState state, string? offset, string? count, IJobAdmin admin, CancellationToken ct)
    {
        var problem = ApiProblems.CheckInt("offset", offset, 0, 0, int.MaxValue, out var from);
        var take = 50;
        problem ??= ApiProblems.CheckInt("count", count, 50, 1, JobPage.MaxCount, out take);
        if (problem is not null)
        {
            return problem;
        }

        var page = await admin.ListJobsAsync(queue, state, from, take, ct).ConfigureAwait(false);
        return TypedResults.Ok(new JobPageResponse(queue, ApiModels.Name(state), page.Total, page.Offset, page.Jobs.Count, page.Jobs.Select(ApiModels.ToResponse).ToArray()));
    }

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetJob(string queue, string id, [FromServices] IJobAdmin admin, CancellationToken ct)
    {
        var jobId = default(JobId);
        var problem = ApiProblems.CheckQueue(queue);
        problem ??= ApiProblems.CheckId(id, out jobId);
        if (problem is not null)
        {
            return problem;
        }

        var job = await admin.GetJobAsync(queue, jobId, ct).ConfigureAwait(false);
        return job is null ? ApiProblems.NotFound($"No job '{jobId}' in queue '{queue}' (never enqueued there, or its retention expired).", "id") : TypedResults.Ok(ApiModels.ToResponse(job));
    }

    public static Task<Results<Ok<ActionResponse>, ProblemHttpResult>> Cancel(string queue, string id, [FromServices] IJobAdmin admin, CancellationToken ct)
        => Act(queue, id, "cancel", admin.CancelAsync, "is unknown or already finished", ct);

    public static Task<Results<Ok<ActionResponse>, ProblemHttpResult>> Delete(string queue, string id, [FromServices] IJobAdmin admin, CancellationToken ct)
        => Act(queue, id, "delete", admin.DeleteJobAsync, "is unknown", ct);

    public static Task<Results<Ok<ActionResponse>, ProblemHttpResult>> RunNow(string queue, string id, [FromServices] IJobAdmin admin, CancellationToken ct)
        => Act(queue, id, "run-now", admin.RunNowAsync, "is not scheduled or retrying (or is unknown)", ct);

    public static Task<Results<Ok<ActionResponse>, ProblemHttpResult>> RequeueDeadLetter(string queue, string id, [FromServices] IJobAdmin admin, CancellationToken ct)
        => Act(queue, id, "requeue", admin.RequeueDeadLetterAsync, "is not a dead letter", ct);

    public static Task<Results<Ok<ActionResponse>, ProblemHttpResult>> DeleteDeadLetter(string queue, string id, [FromServices] IJobAdmin admin, CancellationToken ct)
        => Act(queue, id, "delete", admin.DeleteDeadLetterAsync, "is not a dead letter", ct);

    /// <summary>One action on one job: 200 when it applied, 404 when the job is not in a state it applies to.</summary>
    private static async Task<Results<Ok<ActionResponse>, ProblemHttpResult>> Act(
        string queue, string id, string action, Func<string, JobId, CancellationToken, ValueTask<bool>> apply, string whenNot, CancellationToken ct)
    {
        var jobId = default(JobId);
        var problem = ApiProblems.CheckQueue(queue);
        problem ??= ApiProblems.CheckId(id, out jobId);
        if (problem is not null)
        {
            return problem;
        }

        return await apply(queue, jobId, ct).ConfigureAwait(false)
            ? TypedResults.Ok(new ActionResponse(jobId.Value, queue, action))
            : ApiProblems.NotFound($"Cannot {action} job '{jobId}' in queue '{queue}': it {whenNot}.", "id");
    }
}
