namespace TaskQueue.Dashboard;

/// <summary>
/// Settings of the HTTP API that <see cref="TaskQueueEndpointRouteBuilderExtensions.MapTaskQueue"/> maps. By default every
/// call needs an API key in the <see cref="ApiKeyHeader"/> header: with no key and no policy configured, every call is
/// refused (401) until one is.
/// </summary>
public sealed class TaskQueueDashboardOptions
{
    /// <summary>The request header that carries an API key.</summary>
    public const string ApiKeyHeader = "X-TaskQueue-Key";

    /// <summary>
    /// The custom header a browser must send on unsafe methods (POST, DELETE) when calls are authorized by a host policy
    /// (which may use cookies): a cross-site form cannot set it, so with it a request is known to come from script on an
    /// allowed origin. Any non-empty value.
    /// </summary>
    public const string CsrfHeader = "X-TaskQueue-Csrf";

    /// <summary>The default <see cref="MaxBulkJobs"/>.</summary>
    public const int DefaultMaxBulkJobs = 1000;

    /// <summary>The default <see cref="MaxBulkRequestBytes"/> (16 MiB).</summary>
    public const long DefaultMaxBulkRequestBytes = 16L * 1024 * 1024;

    /// <summary>Keys that may read and act (create, cancel, delete, requeue, pause...). Compared in constant time.</summary>
    public IList<string> ApiKeys { get; } = new List<string>();

    /// <summary>Keys that may only read: actions with one get 403 and change nothing.</summary>
    public IList<string> ReadOnlyApiKeys { get; } = new List<string>();

    /// <summary>
    /// The name of a host authorization policy (<c>AddAuthorization(o => o.AddPolicy(...))</c>) that a caller without an
    /// API key must meet. The host's authentication middleware must run before the endpoints. Unsafe methods then also
    /// need the <see cref="CsrfHeader"/> header, and a browser's <c>Sec-Fetch-Site</c>/<c>Origin</c> must say same-origin.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>
    /// With <see cref="AuthorizationPolicy"/>: a second policy that actions (unsafe methods) must meet too, e.g. an
    /// operators' role while everyone signed in may read. Null: the one policy allows both.
    /// </summary>
    public string? ActionsAuthorizationPolicy { get; set; }

    /// <summary>True to refuse every action (403) whoever calls: a read-only API.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// True to turn authentication off: anyone who reaches the endpoints may read and act. A warning is logged at
    /// start-up when the app listens on anything but loopback.
    /// </summary>
    public bool DisableAuthentication { get; set; }

    /// <summary>The most jobs one bulk-create request may hold. Default: <see cref="DefaultMaxBulkJobs"/>.</summary>
    public int MaxBulkJobs { get; set; } = DefaultMaxBulkJobs;

    /// <summary>
    /// The largest bulk-create request body in bytes. Default: <see cref="DefaultMaxBulkRequestBytes"/>. A single create
    /// may be as large as the store's <c>MaxPayloadBytes</c> plus 64 KiB for its options; each job's arguments are held
    /// to <c>MaxPayloadBytes</c> in both.
    /// </summary>
    public long MaxBulkRequestBytes { get; set; } = DefaultMaxBulkRequestBytes;

    internal void Validate()
    {
        if (MaxBulkJobs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBulkJobs), MaxBulkJobs, "TaskQueue dashboard: MaxBulkJobs must be at least 1.");
        }

        if (MaxBulkRequestBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBulkRequestBytes), MaxBulkRequestBytes, "TaskQueue dashboard: MaxBulkRequestBytes must be at least 1024.");
        }

        foreach (var key in ApiKeys.Concat(ReadOnlyApiKeys))
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new ArgumentException("TaskQueue dashboard: an API key is empty.", nameof(ApiKeys));
            }
        }
    }
}
