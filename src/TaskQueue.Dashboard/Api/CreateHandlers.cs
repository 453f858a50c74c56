using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TaskQueue.Client;
using TaskQueue.Storage;

namespace TaskQueue.Dashboard.Api;

/// <summary>
/// Create one job by name, or many in one request (one store call: one round trip per batch on Redis). Every job of the
/// body is read and validated first; any problem answers 4xx and nothing is stored.
/// </summary>
internal static class CreateHandlers
{
    /// <summary>Room for a single create's options around its arguments.</summary>
    private const int EnvelopeBytes = 64 * 1024;

    public static async Task<Results<Created<CreatedJobResponse>, ProblemHttpResult>> Create(
        string name, HttpRequest request, [FromServices] JobCatalog catalog, [FromServices] IJobStore store, [FromServices] IJobClient client, CancellationToken ct)
    {
        if (!catalog.TryGet(name, out var job))
        {
            return ApiProblems.NotFound($"No job named '{ApiProblems.Shorten(name)}' is registered in this app; GET job-types lists them.", "name");
        }

        var (document, problem) = await RequestBodies.ReadJsonAsync(request, (long)store.MaxPayloadBytes + EnvelopeBytes, ct).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            if (JobRequests.TryRead(document!.RootElement, "$", job, catalog, store.MaxPayloadBytes, out var jobRequest) is { } invalid)
            {
                return invalid;
            }

            JobId id;
            try
            {
                id = await client.EnqueueAsync(job, jobRequest.Payload, jobRequest.Options, ct).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                // NewJob's one rule, in case it holds more than the fields checked above.
                return ApiProblems.BadRequest(ex.ParamName ?? "body", ex.Message);
            }

            var queue = jobRequest.Options?.Queue ?? job.Queue;
            return TypedResults.Created(JobLocation(request, queue, id), new CreatedJobResponse(id.Value, job.Name, queue));
        }
    }

    public static async Task<Results<Ok<BulkCreatedResponse>, ProblemHttpResult>> CreateMany(
        HttpRequest request, [FromServices] JobCatalog catalog, [FromServices] IJobStore store, [FromServices] IJobClient client,
        [FromServices] IOptions<TaskQueueDashboardOptions> options, CancellationToken ct)
    {
        var settings = options.Value;
        var (document, problem) = await RequestBodies.ReadJsonAsync(request, settings.MaxBulkRequestBytes, ct).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object || !root.TryGetProperty("jobs", out var jobs) || jobs.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                return ApiProblems.BadRequest("jobs", "Expected {\"jobs\": [{\"name\": ..., \"arguments\": {...}}, ...]}.", "$.jobs");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name != "jobs")
                {
                    return ApiProblems.BadRequest(ApiProblems.Shorten(property.Name), $"'{ApiProblems.Shorten(property.Name)}' is not a field of a bulk request; use jobs.", ApiProblems.Shorten("$." + property.Name));
                }
            }

            var count = jobs.GetArrayLength();
            if (count == 0 || count > settings.MaxBulkJobs)
            {
                return ApiProblems.BadRequest("jobs", $"'jobs' must hold 1 to {settings.MaxBulkJobs} jobs, but held {count}.", "$.jobs");
            }

            var requests = new JobRequest[count];
            var i = 0;
            foreach (var item in jobs.EnumerateArray())
            {
                if (JobRequests.TryRead(item, $"$.jobs[{i}]", job: null, catalog, store.MaxPayloadBytes, out requests[i]) is { } invalid)
                {
                    return invalid;
                }

                i++;
            }

            IReadOnlyList<JobId> ids;
            try
            {
                ids = await client.EnqueueManyAsync(requests, ct).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                return ApiProblems.BadRequest(ex.ParamName ?? "jobs", ex.Message);
            }

            var created = new CreatedJobResponse[ids.Count];
            for (var j = 0; j < created.Length; j++)
            {
                created[j] = new CreatedJobResponse(ids[j].Value, requests[j].Job.Name, requests[j].Options?.Queue ?? requests[j].Job.Queue);
            }

            return TypedResults.Ok(new BulkCreatedResponse(created.Length, created));
        }
    }

    private static string JobLocation(HttpRequest request, string queue, JobId id)
    {
        // .../api/v1/job-types/{name}/jobs -> .../api/v1/queues/{queue}/jobs/{id}
        var path = request.PathBase + request.Path;
        var apiRoot = path.Value is { } p && p.IndexOf("/job-types/", StringComparison.Ordinal) is var at and >= 0 ? p[..at] : string.Empty;
        return $"{apiRoot}/queues/{Uri.EscapeDataString(queue)}/jobs/{Uri.EscapeDataString(id.Value)}";
    }
}
