using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TaskQueue.Admin;

namespace TaskQueue.Dashboard.Api;

/// <summary>Stats over every queue, workers, store status, health and readiness, and the jobs this app can create.</summary>
internal static class SystemHandlers
{
    public static async Task<Ok<StatsResponse>> Stats([FromServices] IJobAdmin admin, CancellationToken ct)
    {
        var queues = (await admin.ListQueuesAsync(ct).ConfigureAwait(false)).Select(ApiModels.ToResponse).ToArray();
        var totals = new StatsTotals(
            queues.Length,
            queues.Sum(q => q.Pending),
            queues.Sum(q => q.Scheduled),
            queues.Sum(q => q.Retrying),
            queues.Sum(q => q.Active),
            queues.Sum(q => q.Dead),
            queues.Sum(q => q.ProcessedToday),
            queues.Sum(q => q.FailedToday));
        return TypedResults.Ok(new StatsResponse(queues, totals));
    }

    public static async Task<Ok<IReadOnlyList<WorkerResponse>>> Workers([FromServices] IJobAdmin admin, CancellationToken ct)
    {
        var workers = await admin.ListWorkersAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<WorkerResponse>>(workers.Select(ApiModels.ToResponse).ToArray());
    }

    public static async Task<Ok<StatusResponse>> Status([FromServices] IJobAdmin admin, CancellationToken ct)
        => TypedResults.Ok(ApiModels.ToResponse(await admin.GetStatusAsync(ct).ConfigureAwait(false)));

    /// <summary>Liveness: the process answers HTTP. Says nothing about the store (that is readiness).</summary>
    public static Ok<HealthResponse> Health() => TypedResults.Ok(new HealthResponse("healthy"));

    /// <summary>Readiness: 200 when the store answers (with its round-trip time), else 503.</summary>
    public static async Task<Results<Ok<ReadyResponse>, ProblemHttpResult>> Ready([FromServices] IJobAdmin admin, CancellationToken ct)
    {
        StoreStatus status;
        try
        {
            status = await admin.GetStatusAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            status = new StoreStatus { Kind = "unknown", Available = false, Error = ex.Message };
        }

        if (status.Available)
        {
            return TypedResults.Ok(new ReadyResponse("ready", status.Kind, status.RoundTrip?.TotalMilliseconds, null));
        }

        return TypedResults.Problem(
            $"The job store ({status.Kind}) does not answer: {status.Error}",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Not ready",
            extensions: new Dictionary<string, object?> { ["readiness"] = "unavailable", ["store"] = status.Kind, ["error"] = status.Error });
    }

    public static Ok<IReadOnlyList<JobTypeResponse>> JobTypes([FromServices] JobCatalog catalog)
        => TypedResults.Ok<IReadOnlyList<JobTypeResponse>>(catalog.Jobs.Select(ApiModels.ToResponse).ToArray());

    public static Results<Ok<JobTypeResponse>, ProblemHttpResult> JobType(string name, [FromServices] JobCatalog catalog)
        => catalog.TryGet(name, out var job)
            ? TypedResults.Ok(ApiModels.ToResponse(job))
            : ApiProblems.NotFound($"No job named '{ApiProblems.Shorten(name)}' is registered in this app.", "name");
}
