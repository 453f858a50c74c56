using System.Text.Json;
using TaskQueue.Storage;

namespace TaskQueue.Cli.Output;

/// <summary>A job as <c>--json</c> writes it: arguments and result inline as JSON, not base64.</summary>
internal sealed record JobView(
    string Id,
    string Name,
    string Queue,
    Priority Priority,
    JobState State,
    int Attempt,
    int MaxRetries,
    JsonElement? Arguments,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? LeaseExpiresAt,
    string? WorkerId,
    double? Progress,
    JsonElement? Result,
    string? LastError,
    IReadOnlyList<JobAttemptError> Errors,
    string? IdempotencyKey,
    int Deferrals)
{
    public static JobView From(JobInfo job) => new(
        job.Id.Value, job.Name, job.Queue, job.Priority, job.State, job.Attempt, job.MaxRetries, ParseJson(job.Payload),
        job.EnqueuedAt, job.DueAt, job.FinishedAt, job.StartedAt, job.LeaseExpiresAt, job.WorkerId, job.Progress,
        job.Result is { } result ? ParseJson(result) : null, job.LastError, job.Errors, job.IdempotencyKey, job.Deferrals);

    /// <summary>The stored JSON, or a JSON string holding the text when it is not JSON (written by something else).</summary>
    internal static JsonElement? ParseJson(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(utf8);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(System.Text.Encoding.UTF8.GetString(utf8.Span), CliJsonContext.Default.String);
        }
    }
}

/// <summary>A page of jobs as <c>--json</c> writes it.</summary>
internal sealed record JobPageView(string Queue, string State, long Total, int Offset, IReadOnlyList<JobView> Jobs);

/// <summary>What an action did, as <c>--json</c> writes it.</summary>
internal sealed record ActionView(string Action, string Queue, string? Id, long Count);

/// <summary>Every queue's counts and their sums, as <c>tq stats --json</c> writes them.</summary>
internal sealed record StatsView(IReadOnlyList<QueueStats> Queues, long Pending, long Scheduled, long Retrying, long Running, long Dead, long ProcessedToday, long FailedToday, int Workers);

/// <summary>What <c>tq enqueue</c> stored.</summary>
internal sealed record EnqueueView(string Id, string Name, string Queue, bool Created);

/// <summary>An error as <c>--json</c> writes it on stderr.</summary>
internal sealed record ErrorView(string Error, int ExitCode);
