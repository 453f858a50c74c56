using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TaskQueue.Admin;

namespace TaskQueue.Dashboard.Api;

/// <summary>
/// Requeue or delete a set of dead letters. The body picks the set, one way only, so an empty or mistyped body never
/// means "everything": <c>{"ids": [...]}</c>, <c>{"jobName": "...", "errorContains": "..."}</c> (either or both), or <c>{"all": true}</c>.
/// </summary>
internal static class DeadLetterHandlers
{
    /// <summary>The most ids one request may name.</summary>
    public const int MaxIds = 1000;

    private const long MaxBodyBytes = 256 * 1024;

    public static Task<Results<Ok<CountResponse>, ProblemHttpResult>> Requeue(string queue, HttpRequest request, [FromServices] IJobAdmin admin, CancellationToken ct)
        => ApplyAsync(queue, request, "requeue", admin.RequeueDeadLetterAsync, admin.RequeueDeadLettersAsync, ct);

    public static Task<Results<Ok<CountResponse>, ProblemHttpResult>> Delete(string queue, HttpRequest request, [FromServices] IJobAdmin admin, CancellationToken ct)
        => ApplyAsync(queue, request, "delete", admin.DeleteDeadLetterAsync, admin.DeleteDeadLettersAsync, ct);

    private static async Task<Results<Ok<CountResponse>, ProblemHttpResult>> ApplyAsync(
        string queue,
        HttpRequest request,
        string action,
        Func<string, JobId, CancellationToken, ValueTask<bool>> one,
        Func<string, DeadLetterFilter, CancellationToken, ValueTask<long>> many,
        CancellationToken ct)
    {
        if (ApiProblems.CheckQueue(queue) is { } bad)
        {
            return bad;
        }

        var (document, problem) = await RequestBodies.ReadJsonAsync(request, MaxBodyBytes, ct).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var selection = Read(document!.RootElement, out var ids, out var filter);
            if (selection is not null)
            {
                return selection;
            }

            long count = 0;
            if (ids is not null)
            {
                foreach (var id in ids)
                {
                    if (await one(queue, id, ct).ConfigureAwait(false))
                    {
                        count++;
                    }
                }
            }
            else
            {
                count = await many(queue, filter!, ct).ConfigureAwait(false);
            }

            return TypedResults.Ok(new CountResponse(queue, action, count));
        }
    }

    private static ProblemHttpResult? Read(JsonElement root, out List<JobId>? ids, out DeadLetterFilter? filter)
    {
        ids = null;
        filter = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.BadRequest("body", "Expected a JSON object: {\"ids\": [...]}, {\"jobName\": ..., \"errorContains\": ...} or {\"all\": true}.", "$");
        }

        string? jobName = null;
        string? errorContains = null;
        var all = false;
        foreach (var property in root.EnumerateObject())
        {
            var at = "$." + property.Name;
            var value = property.Value;
            switch (property.Name)
            {
                case "ids":
                    if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxIds)
                    {
                        return ApiProblems.BadRequest("ids", $"'ids' must be an array of 1 to {MaxIds} job ids.", at);
                    }

                    ids = new List<JobId>(value.GetArrayLength());
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String || !JobId.TryParse(item.GetString(), out var id))
                        {
                            return ApiProblems.BadRequest("ids", $"ids[{index}] is not a job id: use 1 to 64 characters of A-Z, a-z, 0-9, '-', '_' or '.'.", $"{at}[{index}]");
                        }

                        ids.Add(id);
                        index++;
                    }

                    break;
                case "jobName":
                    if (value.ValueKind != JsonValueKind.String || !JobNames.IsValidJobName(value.GetString()))
                    {
                        return ApiProblems.BadRequest("jobName", "'jobName' must be a job name: 1 to 64 characters of A-Z, a-z, 0-9, '-', '_', '.' or ':'.", at);
                    }

                    jobName = value.GetString();
                    break;
                case "errorContains":
                    if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 1000 })
                    {
                        return ApiProblems.BadRequest("errorContains", "'errorContains' must be a string of 1 to 1000 characters.", at);
                    }

                    errorContains = value.GetString();
                    break;
                case "all":
                    if (value.ValueKind != JsonValueKind.True)
                    {
                        return ApiProblems.BadRequest("all", "'all' must be true (leave it out otherwise).", at);
                    }

                    all = true;
                    break;
                default:
                    return ApiProblems.BadRequest(ApiProblems.Shorten(property.Name), $"'{ApiProblems.Shorten(property.Name)}' is not a selection field; use ids, jobName, errorContains or all.", ApiProblems.Shorten(at));
            }
        }

        var ways = (ids is null ? 0 : 1) + (jobName is null && errorContains is null ? 0 : 1) + (all ? 1 : 0);
        if (ways != 1)
        {
            return ApiProblems.BadRequest("body", ways == 0
                ? "Say which dead letters: {\"ids\": [...]}, {\"jobName\": ..., \"errorContains\": ...} or {\"all\": true}."
                : "Choose one way to select dead letters: ids, a filter (jobName/errorContains) or all.", "$");
        }

        if (!all && ids is null)
        {
            filter = new DeadLetterFilter { JobName = jobName, ErrorContains = errorContains };
        }
        else if (all)
        {
            filter = DeadLetterFilter.All;
        }

        return null;
    }
}
