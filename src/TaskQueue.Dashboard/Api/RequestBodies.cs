using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TaskQueue.Dashboard.Api;

/// <summary>Reads a JSON request body with a hard size cap, before anything else happens.</summary>
internal static class RequestBodies
{
    /// <summary>
    /// The body parsed as JSON, or the problem: 413 over <paramref name="maxBytes"/> (by Content-Length or while reading),
    /// 415 for a content type that is not JSON, 400 for an empty body or text that is not JSON (with the line and byte).
    /// </summary>
    public static async ValueTask<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadJsonAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
        {
            return (null, ApiProblems.UnsupportedMediaType($"The body must be JSON (Content-Type: application/json), but was '{ApiProblems.Shorten(contentType)}'."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, ApiProblems.TooLarge($"The body is {request.ContentLength} bytes, more than this endpoint's limit of {maxBytes} bytes."));
        }

        // Lower the server's own cap too, so a chunked body cannot stream past it.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit
            && (limit.MaxRequestBodySize is null || limit.MaxRequestBodySize > maxBytes + 1))
        {
            limit.MaxRequestBodySize = maxBytes + 1;
        }

        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is { } length and > 0 ? (int)Math.Min(length, maxBytes) : 4096);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(16 * 1024);
                var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    return (null, ApiProblems.TooLarge($"The body is more than this endpoint's limit of {maxBytes} bytes."));
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiProblems.TooLarge($"The body is more than this endpoint's limit of {maxBytes} bytes."));
        }

        if (buffer.WrittenCount == 0)
        {
            return (null, ApiProblems.BadRequest("body", "The request has no body: send a JSON object.", "$"));
        }

        try
        {
            return (JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 64 }), null);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.BadRequest("body", $"The body is not valid JSON: {ex.Message}", ex.Path ?? "$"));
        }
    }

    private static bool IsJson(string contentType)
    {
        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
