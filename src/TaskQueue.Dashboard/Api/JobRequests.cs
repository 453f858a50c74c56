using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskQueue.Client;
using TaskQueue.Storage;

namespace TaskQueue.Dashboard.Api;

/// <summary>
/// Reads one job of a create request: <c>{"arguments": {...}, "queue", "priority", "delay", "runAt", "idempotencyKey",
/// "idempotencyTtl", "uniqueUntilFinished", "timeout"}</c> (plus <c>"name"</c> in a bulk request). The arguments are
/// read by the job's generated deserializer, the one the worker runs, so a body that passes runs.
/// </summary>
internal static class JobRequests
{
    public static readonly string[] OptionFields = ["queue", "priority", "delay", "runAt", "idempotencyKey", "idempotencyTtl", "uniqueUntilFinished", "timeout"];

    /// <param name="element">The job object.</param>
    /// <param name="path">Its JSON path in the body (<c>$</c>, or <c>$.jobs[3]</c>).</param>
    /// <param name="job">The job named by the route, or null to read <c>"name"</c> from the object (bulk).</param>
    /// <param name="catalog">The jobs this app knows.</param>
    /// <param name="maxPayloadBytes">The store's <c>MaxPayloadBytes</c>.</param>
    /// <param name="request">The job to enqueue.</param>
    public static ProblemHttpResult? TryRead(JsonElement element, string path, JobDefinition? job, JobCatalog catalog, int maxPayloadBytes, out JobRequest request)
    {
        request = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.BadRequest(Field(path, null), $"Expected a JSON object at {path} but found {Kind(element)}.", path);
        }

        if (job is null)
        {
            if (!element.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                return ApiProblems.BadRequest(Field(path, "name"), $"{path}.name is required: the name of the job to create.", path + ".name");
            }

            var jobName = name.GetString()!;
            if (!catalog.TryGet(jobName, out job))
            {
                return ApiProblems.NotFound($"No job named '{ApiProblems.Shorten(jobName)}' is registered in this app ({path}.name); GET job-types lists them.", Field(path, "name"));
            }
        }

        var options = new JobOptions();
        ReadOnlyMemory<byte> payload = "{}"u8.ToArray();
        foreach (var property in element.EnumerateObject())
        {
            var at = path + "." + property.Name;
            var value = property.Value;
            switch (property.Name)
            {
                case "name":
                    if (value.ValueKind != JsonValueKind.String || value.GetString() != job.Name)
                    {
                        return ApiProblems.BadRequest(Field(path, "name"), $"{at} must be the job's name '{job.Name}' (or left out).", at);
                    }

                    break;
                case "arguments":
                    if (value.ValueKind != JsonValueKind.Object)
                    {
                        return ApiProblems.BadRequest(Field(path, "arguments"), $"{at} must be a JSON object of the job's arguments, but was {Kind(value)}.", at);
                    }

                    var raw = JsonMarshal.GetRawUtf8Value(value);
                    if (raw.Length > maxPayloadBytes)
                    {
                        return ApiProblems.TooLarge($"{at} is {raw.Length} bytes, more than the store's limit of {maxPayloadBytes} bytes (MaxPayloadBytes).");
                    }

                    payload = raw.ToArray();
                    break;
                case "queue":
                    if (value.ValueKind != JsonValueKind.String || !JobNames.IsValidQueueName(value.GetString()))
                    {
                        return ApiProblems.BadRequest(Field(path, "queue"), $"{at} must be a queue name of 1 to {JobNames.MaxLength} characters of A-Z, a-z, 0-9, '-', '_' or '.', but was {Shown(value)}.", at);
                    }

                    options = options with { Queue = value.GetString() };
                    break;
                case "priority":
                    if (value.ValueKind != JsonValueKind.String || !ApiModels.TryParsePriority(value.GetString(), out var priority))
                    {
                        return ApiProblems.BadRequest(Field(path, "priority"), $"{at} must be one of critical, high, normal, low, but was {Shown(value)}.", at);
                    }

                    options = options with { Priority = priority };
                    break;
                case "delay":
                    if (!TryTimeSpan(value, out var delay) || delay < TimeSpan.Zero)
                    {
                        return ApiProblems.BadRequest(Field(path, "delay"), $"{at} must be a time span that is not negative, \"d.hh:mm:ss\", but was {Shown(value)}.", at);
                    }

                    options = options with { Delay = delay };
                    break;
                case "runAt":
                    if (value.ValueKind != JsonValueKind.String || !value.TryGetDateTimeOffset(out var runAt))
                    {
                        return ApiProblems.BadRequest(Field(path, "runAt"), $"{at} must be an ISO 8601 date and time with offset, but was {Shown(value)}.", at);
                    }

                    options = options with { RunAt = runAt };
                    break;
                case "idempotencyKey":
                    if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= NewJob.MaxIdempotencyKeyLength })
                    {
                        return ApiProblems.BadRequest(Field(path, "idempotencyKey"), $"{at} must be a string of 1 to {NewJob.MaxIdempotencyKeyLength} characters, but was {Shown(value)}.", at);
                    }

                    options = options with { IdempotencyKey = value.GetString() };
                    break;
                case "idempotencyTtl":
                    if (!TryTimeSpan(value, out var ttl) || ttl <= TimeSpan.Zero)
                    {
                        return ApiProblems.BadRequest(Field(path, "idempotencyTtl"), $"{at} must be a positive time span, \"d.hh:mm:ss\", but was {Shown(value)}.", at);
                    }

                    options = options with { IdempotencyTtl = ttl };
                    break;
                case "uniqueUntilFinished":
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        return ApiProblems.BadRequest(Field(path, "uniqueUntilFinished"), $"{at} must be true or false, but was {Shown(value)}.", at);
                    }

                    options = options with { UniqueUntilFinished = value.GetBoolean() };
                    break;
                case "timeout":
                    if (!TryTimeSpan(value, out var timeout) || timeout <= TimeSpan.Zero)
                    {
                        return ApiProblems.BadRequest(Field(path, "timeout"), $"{at} must be a positive time span, \"d.hh:mm:ss\", but was {Shown(value)}.", at);
                    }

                    options = options with { Timeout = timeout };
                    break;
                default:
                    return ApiProblems.BadRequest(Field(path, property.Name),
                        $"{ApiProblems.Shorten(at)} is not a field of a job request; use arguments, {string.Join(", ", OptionFields)}.", ApiProblems.Shorten(at));
            }
        }

        if (options.Delay is not null && options.RunAt is not null)
        {
            return ApiProblems.BadRequest(Field(path, "runAt"), $"{path}: set runAt or delay, not both.", path + ".runAt");
        }

        if (job.ArgumentsValidator is { } validate)
        {
            try
            {
                validate(payload);
            }
            catch (JobPayloadException ex)
            {
                // The reader's path is inside the arguments ($.order.lines[2].sku): show it inside the body.
                var jsonPath = path + ".arguments" + (ex.JsonPath.StartsWith('$') ? ex.JsonPath[1..] : "." + ex.JsonPath);
                return ApiProblems.BadRequest(Field(path, "arguments" + (ex.Parameter is { } p ? "." + p : string.Empty)), ex.Message, jsonPath);
            }
        }

        request = new JobRequest(job, payload, options);
        return null;
    }

    /// <summary>The field name shown in a problem: <c>arguments.to</c>, or <c>jobs[3].arguments.to</c> in a bulk body.</summary>
    private static string Field(string path, string? name)
    {
        var prefix = path == "$" ? string.Empty : path[2..];
        return name is null ? (prefix.Length == 0 ? "body" : prefix) : (prefix.Length == 0 ? name : prefix + "." + name);
    }

    private static bool TryTimeSpan(JsonElement value, out TimeSpan span)
    {
        span = default;
        return value.ValueKind == JsonValueKind.String && TimeSpan.TryParseExact(value.GetString(), "c", CultureInfo.InvariantCulture, out span);
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Shown(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? "\"" + ApiProblems.Shorten(value.GetString()!) + "\""
        : ApiProblems.Shorten(value.GetRawText());
}
