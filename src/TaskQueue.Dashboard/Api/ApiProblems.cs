using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TaskQueue.Dashboard.Api;

/// <summary>
/// Every 4xx/5xx of the API is a problem details response (RFC 9457): a title, a detail sentence that names the field and
/// the value, and for bad input the extensions <c>field</c> and, inside a body, <c>jsonPath</c>.
/// </summary>
internal static class ApiProblems
{
    public static ProblemHttpResult BadRequest(string field, string detail, string? jsonPath = null, object? value = null)
    {
        var extensions = new Dictionary<string, object?> { ["field"] = field };
        if (jsonPath is not null)
        {
            extensions["jsonPath"] = jsonPath;
        }

        if (value is not null)
        {
            extensions["value"] = value;
        }

        return TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", extensions: extensions);
    }

    public static ProblemHttpResult NotFound(string detail, string? field = null)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found",
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult Conflict(string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult TooLarge(string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    public static ProblemHttpResult UnsupportedMediaType(string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

    public static ProblemHttpResult Unauthorized(string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    public static ProblemHttpResult Forbidden(string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static ProblemHttpResult Unavailable(string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Job store unavailable");

    /// <summary>Checks a queue name from the route (the store's own rule).</summary>
    public static ProblemHttpResult? CheckQueue(string queue)
        => JobNames.IsValidQueueName(queue) ? null : BadRequest("queue",
            $"Queue '{Shorten(queue)}' is not a valid queue name: use 1 to {JobNames.MaxLength} characters of A-Z, a-z, 0-9, '-', '_' or '.'.", value: Shorten(queue));

    /// <summary>Checks a job id from the route.</summary>
    public static ProblemHttpResult? CheckId(string id, out JobId jobId)
        => JobId.TryParse(id, out jobId) ? null : BadRequest("id",
            $"'{Shorten(id)}' is not a valid job id: use 1 to 64 characters of A-Z, a-z, 0-9, '-', '_' or '.'.", value: Shorten(id));

    /// <summary>Parses an optional integer query value within [min, max].</summary>
    public static ProblemHttpResult? CheckInt(string field, string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            value = fallback;
            return BadRequest(field, $"'{field}' must be a whole number from {min} to {max}, but was '{Shorten(text)}'.", value: Shorten(text));
        }

        return null;
    }

    /// <summary>User input echoed in a message is cut to a readable length.</summary>
    public static string Shorten(string text) => text.Length <= 100 ? text : string.Concat(text.AsSpan(0, 100), "…");
}
