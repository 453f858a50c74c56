using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TaskQueue.Dashboard.Api;

/// <summary>
/// Who may call the API: an API key in <see cref="TaskQueueDashboardOptions.ApiKeyHeader"/> (full or read-only), else the
/// host's authorization policy, else nobody; or everyone when authentication is off. Runs as an endpoint filter on every
/// API endpoint except health and readiness, before the handler reads anything: a refused call changes nothing.
/// </summary>
internal sealed class ApiAccess
{
    private readonly TaskQueueDashboardOptions _options;
    private readonly byte[][] _fullKeys;
    private readonly byte[][] _readOnlyKeys;

    public ApiAccess(IOptions<TaskQueueDashboardOptions> options)
    {
        _options = options.Value;
        _fullKeys = _options.ApiKeys.Select(Hash).ToArray();
        _readOnlyKeys = _options.ReadOnlyApiKeys.Select(Hash).ToArray();
    }

    public TaskQueueDashboardOptions Options => _options;

    /// <summary>True when nobody can be let in: no key, no policy, authentication on.</summary>
    public bool LocksEveryoneOut => !_options.DisableAuthentication && _fullKeys.Length == 0 && _readOnlyKeys.Length == 0 && _options.AuthorizationPolicy is null;

    public async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var unsafeMethod = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method));
        var refusal = await CheckAsync(http, unsafeMethod).ConfigureAwait(false);
        if (refusal is not null)
        {
            if (refusal.StatusCode == StatusCodes.Status401Unauthorized)
            {
                http.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{TaskQueueDashboardOptions.ApiKeyHeader}\"";
            }

            return refusal;
        }

        return await next(context).ConfigureAwait(false);
    }

    private async ValueTask<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult?> CheckAsync(HttpContext http, bool unsafeMethod)
    {
        if (unsafeMethod && _options.ReadOnly)
        {
            return ApiProblems.Forbidden("The TaskQueue API is read-only (TaskQueueDashboardOptions.ReadOnly): actions are refused.");
        }

        if (_options.DisableAuthentication)
        {
            return null;
        }

        if (http.Request.Headers.TryGetValue(TaskQueueDashboardOptions.ApiKeyHeader, out var presented))
        {
            // A key sent in a header cannot be sent by a cross-site form or link: key-authorized calls are CSRF-safe.
            var hash = Hash(presented.ToString());
            if (Matches(hash, _fullKeys))
            {
                return null;
            }

            if (Matches(hash, _readOnlyKeys))
            {
                return unsafeMethod ? ApiProblems.Forbidden("This API key is read-only: actions need a full-access key.") : null;
            }

            return ApiProblems.Unauthorized($"The API key in the {TaskQueueDashboardOptions.ApiKeyHeader} header is not valid.");
        }

        if (_options.AuthorizationPolicy is not { } policy)
        {
            return ApiProblems.Unauthorized(LocksEveryoneOut
                ? $"The TaskQueue API has no API key or authorization policy configured (AddTaskQueueDashboard): every call is refused."
                : $"An API key is required in the {TaskQueueDashboardOptions.ApiKeyHeader} header.");
        }

        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        if (!(await authorization.AuthorizeAsync(http.User, null, policy).ConfigureAwait(false)).Succeeded)
        {
            return http.User.Identity?.IsAuthenticated == true
                ? ApiProblems.Forbidden($"The caller does not meet the authorization policy '{policy}'.")
                : ApiProblems.Unauthorized($"Sign in (authorization policy '{policy}') or send an API key in the {TaskQueueDashboardOptions.ApiKeyHeader} header.");
        }

        if (!unsafeMethod)
        {
            return null;
        }

        // The policy may rest on a cookie, which a browser sends on cross-site requests too: require proof of same-origin script.
        if (CsrfProblem(http.Request) is { } csrf)
        {
            return ApiProblems.Forbidden(csrf);
        }

        if (_options.ActionsAuthorizationPolicy is { } actions
            && !(await authorization.AuthorizeAsync(http.User, null, actions).ConfigureAwait(false)).Succeeded)
        {
            return ApiProblems.Forbidden($"Actions need the authorization policy '{actions}'.");
        }

        return null;
    }

    /// <summary>Why an unsafe request authorized by the host's policy may be cross-site, or null.</summary>
    internal static string? CsrfProblem(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.Headers[TaskQueueDashboardOptions.CsrfHeader].ToString()))
        {
            return $"Actions authorized by a sign-in need the {TaskQueueDashboardOptions.CsrfHeader} header (CSRF protection).";
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not "same-origin" and not "none")
        {
            return $"Cross-site request refused (Sec-Fetch-Site: {ApiProblems.Shorten(site)}).";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || !string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
            {
                return $"Cross-origin request refused (Origin: {ApiProblems.Shorten(origin)}).";
            }
        }

        return null;
    }

    /// <summary>
    /// True when <paramref name="presented"/> is a read-only key and not also a full one (a key listed as both acts as
    /// full): the same decision <see cref="FilterAsync"/> makes, for the dashboard's access description.
    /// </summary>
    internal bool IsReadOnlyKey(string presented)
    {
        var hash = Hash(presented);
        return !Matches(hash, _fullKeys) && Matches(hash, _readOnlyKeys);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Compares against every key without stopping early, in constant time per key.</summary>
    private static bool Matches(byte[] hash, byte[][] keys)
    {
        var found = false;
        foreach (var key in keys)
        {
            found |= CryptographicOperations.FixedTimeEquals(hash, key);
        }

        return found;
    }
}
