using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using TaskQueue.Dashboard.Api;

namespace TaskQueue.Dashboard.Ui;

/// <summary>
/// Serves the web dashboard beside the API: <c>{prefix}/</c> is the page, <c>{prefix}/assets/*</c> its embedded modules
/// and styles. The page itself holds no data and no secret; everything it shows comes from the API with the key the
/// operator signs in with, so serving it anonymously gives nothing away.
/// </summary>
internal static class DashboardUi
{
    /// <summary>
    /// No inline script or style, nothing from other origins, never framed (clickjacking), no plugins; the page may only
    /// call its own origin's API.
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Map(RouteGroupBuilder root, ApiAccess access)
    {
        root.MapGet("/", ServePage).ExcludeFromDescription();
        root.MapGet("/assets/{**path}", ServeAsset).ExcludeFromDescription();
        DashboardAccessEndpoint.Map(root, access);
    }

    private static Task ServePage(HttpContext http)
    {
        // The page's module URLs are relative: "/taskqueue" must become "/taskqueue/" so they resolve under the prefix.
        var path = http.Request.Path.Value ?? string.Empty;
        if (!path.EndsWith('/'))
        {
            http.Response.Redirect(http.Request.PathBase + path + "/" + http.Request.QueryString, permanent: false);
            return Task.CompletedTask;
        }

        var page = DashboardAssets.Find("index.html") ?? throw new InvalidOperationException("The dashboard's index.html is not embedded.");
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return WriteAsync(http, page);
    }

    private static Task ServeAsset(HttpContext http)
    {
        var path = http.Request.RouteValues["path"] as string;
        if (path is null || path == "index.html" || DashboardAssets.Find(path) is not { } asset)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return WriteAsync(http, asset);
    }

    /// <summary>
    /// Writes an asset with its ETag. <c>no-cache</c> means "revalidate": after an upgrade the browser sees new modules at
    /// once, and an unchanged file costs a 304 with no body.
    /// </summary>
    private static Task WriteAsync(HttpContext http, DashboardAsset asset)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } ifNoneMatch
            && EntityTagHeaderValue.TryParseList(ifNoneMatch.Split(','), out var tags)
            && tags.Any(t => t.Tag.Equals(asset.ETag, StringComparison.Ordinal) || t.Equals(EntityTagHeaderValue.Any)))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        http.Response.ContentType = asset.ContentType;
        http.Response.ContentLength = asset.Content.Length;
        return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : http.Response.Body.WriteAsync(asset.Content).AsTask();
    }
}
