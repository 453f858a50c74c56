using Microsoft.Extensions.Logging;

namespace TaskQueue.Scheduling;

/// <summary>The scheduler's log messages.</summary>
internal static partial class SchedulerLog
{
    [LoggerMessage(100, LogLevel.Debug, "Schedule {Schedule} enqueued {Count} occurrence(s) due {DueAt:o}; next {NextDueAt:o}")]
    public static partial void OccurrenceEnqueued(this ILogger logger, string schedule, int count, DateTimeOffset dueAt, DateTimeOffset nextDueAt);

    [LoggerMessage(101, LogLevel.Warning, "Schedule {Schedule} missed occurrences since {DueAt:o}: {Skipped} skipped, {Run} run (misfire policy {Policy})")]
    public static partial void Misfired(this ILogger logger, string schedule, DateTimeOffset dueAt, int skipped, int run, MisfirePolicy policy);

    [LoggerMessage(102, LogLevel.Information, "Schedule {Schedule} skipped the occurrence due {DueAt:o}: the previous one has not finished")]
    public static partial void OverlapSkipped(this ILogger logger, string schedule, DateTimeOffset dueAt);

    [LoggerMessage(103, LogLevel.Error, "Schedule {Schedule} cannot be evaluated and is left as it is")]
    public static partial void ScheduleInvalid(this ILogger logger, Exception exception, string schedule);

    [LoggerMessage(104, LogLevel.Warning, "Scheduler store call failed; retrying in {RetryDelay}")]
    public static partial void StoreFailed(this ILogger logger, Exception exception, TimeSpan retryDelay);
}
