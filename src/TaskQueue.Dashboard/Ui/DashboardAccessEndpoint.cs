using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Dashboard.Api;

namespace TaskQueue.Dashboard.Ui;

/// <summary>
/// <c>GET {prefix}/api/v1/access</c>: what the caller may do, so the dashboard can check a key at sign-in and disable
/// the actions a read-only caller would be refused. It runs behind the API's own access filter (401 without a valid
/// key or sign-in); the answer is advice for the page only, as every action is still checked by the API itself.
/// </summary>
internal static class DashboardAccessEndpoint
{
    public static void Map(RouteGroupBuilder root, ApiAccess access)
    {
        root.MapGet(TaskQueueEndpointRouteBuilderExtensions.ApiPath + "/access", DescribeAsync)
            .AddEndpointFilter(access.FilterAsync)
            .ExcludeFromDescription();
    }

    private static async Task<IResult> DescribeAsync(HttpContext http, [FromServices] ApiAccess access)
    {
        var options = access.Options;
        string via;
        string? readOnlyReason = null;
        if (http.Request.Headers.TryGetValue(TaskQueueDashboardOptions.ApiKeyHeader, out var key))
        {
            // The filter let the key in, so it is a full or a read-only key.
            via = "key";
            if (access.IsReadOnlyKey(key.ToString()))
            {
                readOnlyReason = "This API key is read-only: actions need a full-access key.";
            }
        }
        else if (options.DisableAuthentication)
        {
            via = "open";
        }
        else
        {
            via = "policy";
            if (options.ActionsAuthorizationPolicy is { } actions)
            {
                var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
                if (!(await authorization.AuthorizeAsync(http.User, null, actions).ConfigureAwait(false)).Succeeded)
                {
                    readOnlyReason = $"Actions need the authorization policy '{actions}'.";
                }
            }
        }

        if (options.ReadOnly)
        {
            readOnlyReason = "The TaskQueue API is read-only: actions are refused.";
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("via", via);
            json.WriteBoolean("canAct", readOnlyReason is null);
            json.WriteString("readOnlyReason", readOnlyReason);
            json.WriteBoolean("csrfRequired", via == "policy");
            json.WriteString("csrfHeader", TaskQueueDashboardOptions.CsrfHeader);
            json.WriteEndObject();
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Bytes(buffer.ToArray(), "application/json");
    }
}
