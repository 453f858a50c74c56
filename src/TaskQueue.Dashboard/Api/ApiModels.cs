using System.Text.Json;
using TaskQueue.Admin;
using TaskQueue.Storage;

namespace TaskQueue.Dashboard.Api;

// The API's JSON: ids, states, priorities and enums are lowercase strings; arguments and results are inline JSON.

/// <summary>One job in full.</summary>
internal sealed record JobResponse(
    string Id,
    string Name,
    string Queue,
    string Priority,
    string State,
    int Attempt,
    int MaxRetries,
    JsonElement? Arguments,
    JsonElement? Result,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? LeaseExpiresAt,
    string? LastError,
    IReadOnlyList<AttemptErrorResponse> Errors,
    string? WorkerId,
    double? Progress,
    string? IdempotencyKey,
    int Deferrals);

/// <summary>The error one failed attempt ended with (type, message and stack).</summary>
internal sealed record AttemptErrorResponse(int Attempt, DateTimeOffset FailedAt, string Error);

/// <summary>One page of a queue's jobs in one state.</summary>
internal sealed record JobPageResponse(string Queue, string State, long Total, int Offset, int Count, IReadOnlyList<JobResponse> Jobs);

/// <summary>A queue's counts by state.</summary>
internal sealed record QueueResponse(
    string Name,
    bool Paused,
    long Pending,
    long Scheduled,
    long Retrying,
    long Active,
    long Dead,
    long ProcessedToday,
    long FailedToday,
    long DeferredToday);

/// <summary>Every queue and the sums over them.</summary>
internal sealed record StatsResponse(IReadOnlyList<QueueResponse> Queues, StatsTotals Totals);

/// <summary>Sums over every queue.</summary>
internal sealed record StatsTotals(long Queues, long Pending, long Scheduled, long Retrying, long Active, long Dead, long ProcessedToday, long FailedToday);

/// <summary>One UTC day of a queue.</summary>
internal sealed record DailyTotalsResponse(string Day, long Processed, long Failed);

/// <summary>A queue's days, oldest first.</summary>
internal sealed record DailyTotalsListResponse(string Queue, IReadOnlyList<DailyTotalsResponse> Days);

/// <summary>A live worker.</summary>
internal sealed record WorkerResponse(string Id, string Host, int ProcessId, IReadOnlyList<string> Queues, int Concurrency, DateTimeOffset StartedAt, int RunningJobs, DateTimeOffset? LastSeen);

/// <summary>Whether the store answers, and what it runs on.</summary>
internal sealed record StatusResponse(string Kind, bool Available, double? RoundTripMs, string? Error, IReadOnlyList<ServerResponse> Servers);

/// <summary>One server behind the store.</summary>
internal sealed record ServerResponse(string Endpoint, string Role, string? Version, bool Connected);

/// <summary>Liveness.</summary>
internal sealed record HealthResponse(string Status);

/// <summary>Readiness: the store answers, and how fast.</summary>
internal sealed record ReadyResponse(string Status, string Store, double? RoundTripMs, string? Error);

/// <summary>A job this app can create, with the JSON Schema of its arguments.</summary>
internal sealed record JobTypeResponse(string Name, string Queue, string Priority, int MaxRetries, string? Timeout, string Retry, JsonElement? ArgumentsSchema);

/// <summary>A created (or, with a taken idempotency key, an existing) job.</summary>
internal sealed record CreatedJobResponse(string Id, string Name, string Queue);

/// <summary>The jobs of a bulk create, in request order.</summary>
internal sealed record BulkCreatedResponse(int Count, IReadOnlyList<CreatedJobResponse> Jobs);

/// <summary>The result of a single action.</summary>
internal sealed record ActionResponse(string Id, string Queue, string Action);

/// <summary>How many jobs a bulk action changed.</summary>
internal sealed record CountResponse(string Queue, string Action, long Count);

/// <summary>The result of pause/resume.</summary>
internal sealed record QueueActionResponse(string Queue, bool Paused);

/// <summary>Maps the admin interface's types to the API's JSON.</summary>
internal static class ApiModels
{
    public static string Name(JobState state) => state switch
    {
        JobState.Pending => "pending",
        JobState.Scheduled => "scheduled",
        JobState.Active => "active",
        JobState.Succeeded => "succeeded",
        JobState.Dead => "dead",
        JobState.Cancelled => "cancelled",
        _ => ((int)state).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string Name(JobListState state) => state switch
    {
        JobListState.Pending => "pending",
        JobListState.Scheduled => "scheduled",
        JobListState.Running => "running",
        JobListState.Retrying => "retrying",
        JobListState.Dead => "dead",
        JobListState.Succeeded => "succeeded",
        JobListState.Cancelled => "cancelled",
        _ => ((int)state).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static readonly string[] ListStates = ["pending", "scheduled", "running", "retrying", "dead", "succeeded", "cancelled"];

    public static bool TryParseListState(string? text, out JobListState state)
    {
        for (var i = 0; i < ListStates.Length; i++)
        {
            if (string.Equals(ListStates[i], text, StringComparison.OrdinalIgnoreCase))
            {
                state = (JobListState)i;
                return true;
            }
        }

        state = default;
        return false;
    }

    public static string Name(Priority priority) => priority switch
    {
        Priority.Critical => "critical",
        Priority.High => "high",
        Priority.Normal => "normal",
        Priority.Low => "low",
        _ => ((int)priority).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static bool TryParsePriority(string? text, out Priority priority)
    {
        foreach (var value in (ReadOnlySpan<Priority>)[Priority.Critical, Priority.High, Priority.Normal, Priority.Low])
        {
            if (string.Equals(Name(value), text, StringComparison.OrdinalIgnoreCase))
            {
                priority = value;
                return true;
            }
        }

        priority = default;
        return false;
    }

    public static JobResponse ToResponse(JobInfo job) => new(
        job.Id.Value,
        job.Name,
        job.Queue,
        Name(job.Priority),
        Name(job.State),
        job.Attempt,
        job.MaxRetries,
        InlineJson(job.Payload),
        job.Result is { } result ? InlineJson(result) : null,
        job.EnqueuedAt,
        job.DueAt,
        job.StartedAt,
        job.FinishedAt,
        job.LeaseExpiresAt,
        job.LastError,
        job.Errors.Select(e => new AttemptErrorResponse(e.Attempt, e.FailedAt, e.Error)).ToArray(),
        job.WorkerId,
        job.Progress,
        job.IdempotencyKey,
        job.Deferrals);

    public static QueueResponse ToResponse(QueueStats stats) => new(
        stats.Queue, stats.Paused, stats.Pending, stats.Scheduled, stats.Retrying, stats.Active, stats.Dead, stats.ProcessedToday, stats.FailedToday, stats.DeferredToday);

    public static WorkerResponse ToResponse(WorkerInfo worker) => new(
        worker.Id, worker.Host, worker.ProcessId, worker.Queues, worker.Concurrency, worker.StartedAt, worker.RunningJobs, worker.LastSeen);

    public static StatusResponse ToResponse(StoreStatus status) => new(
        status.Kind,
        status.Available,
        status.RoundTrip?.TotalMilliseconds,
        status.Error,
        status.Servers.Select(s => new ServerResponse(s.Endpoint, s.Role, s.Version, s.Connected)).ToArray());

    public static JobTypeResponse ToResponse(JobDefinition job) => new(
        job.Name,
        job.Queue,
        Name(job.Priority),
        job.MaxRetries,
        job.Timeout?.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        JsonNamingPolicy.CamelCase.ConvertName(job.Retry.Strategy.ToString()),
        job.ArgumentsSchema is { } schema ? InlineJson(System.Text.Encoding.UTF8.GetBytes(schema)) : null);

    /// <summary>
    /// Stored JSON as an inline value. Bytes that are not JSON (written by another application, or damaged) are shown as
    /// a JSON string of their text rather than failing the whole response.
    /// </summary>
    public static JsonElement? InlineJson(ReadOnlyMemory<byte> json)
    {
        if (json.IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var text = JsonDocument.Parse(JsonSerializer.Serialize(System.Text.Encoding.UTF8.GetString(json.Span), DashboardJsonContext.Default.String));
            return text.RootElement.Clone();
        }
    }
}
