using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TaskQueue.Dashboard.Api;

/// <summary>
/// A store that fails (Redis down, timed out) answers 503 with problem details, never a bare 500; an argument the store
/// refuses answers 400. Input is checked before the store is called, so these are the store's own verdicts.
/// </summary>
internal static partial class StoreFailures
{
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, ILogger logger)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return ApiProblems.BadRequest(ex.ParamName ?? "request", ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogStoreFailure(logger, context.HttpContext.Request.Method, context.HttpContext.Request.Path, ex);
            return ApiProblems.Unavailable($"The job store failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "TaskQueue API {Method} {Path}: the job store failed")]
    private static partial void LogStoreFailure(ILogger logger, string method, PathString path, Exception exception);
}
