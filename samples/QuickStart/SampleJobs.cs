using Microsoft.Extensions.Logging;
using TaskQueue;

namespace QuickStart;

/// <summary>A shop's background work, as typed jobs.</summary>
public static class SampleJobs
{
    /// <summary>Where jobs log; set by Program before the worker starts.</summary>
    public static ILogger Log { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    [Job(Priority = Priority.Critical)]
    public static Task ChargeCard(Order order, CancellationToken cancellationToken)
    {
        Log.LogInformation("[critical] charged {Total:0.00} {Currency} for order {OrderId} ({Lines} lines)",
            order.Total, order.Currency, order.Id, order.Lines.Count);
        return Task.Delay(50, cancellationToken);
    }

    [Job(Priority = Priority.High)]
    public static Task SendEmail(string to, string subject)
    {
        Log.LogInformation("[high] sent email to {To}: {Subject}", to, subject);
        return Task.CompletedTask;
    }

    [Job]
    public static Task<int> ResizeImage(string path, int width)
    {
        Log.LogInformation("[normal] resized {Path} to {Width}px", path, width);
        return Task.FromResult(width * 3 / 4);
    }

    [Job(Priority = Priority.Low)]
    public static void RebuildSearchIndex(string[] collections)
    {
        Log.LogInformation("[low] rebuilt the search index for {Collections}", string.Join(", ", collections));
    }

    [Job(Name = "reminders.send")]
    public static void SendReminder(string to, DateTimeOffset scheduledFor)
    {
        Log.LogInformation("[delayed] reminder to {To}, due {Due:HH:mm:ss.fff}, ran {Now:HH:mm:ss.fff}", to, scheduledFor, DateTimeOffset.Now);
    }

    [Job(MaxRetries = 3, Retry = RetryStrategy.Fixed, RetryBaseDelay = "00:00:01")]
    public static Task CallFlakyPartner(string endpoint, JobContext context)
    {
        if (context.Attempt < 3)
        {
            Log.LogWarning("[retry] {Endpoint} timed out on attempt {Attempt}", endpoint, context.Attempt);
            throw new TimeoutException($"{endpoint} did not answer (attempt {context.Attempt}).");
        }

        Log.LogInformation("[retry] {Endpoint} answered on attempt {Attempt}", endpoint, context.Attempt);
        return Task.CompletedTask;
    }

    [Job(MaxRetries = 2, Retry = RetryStrategy.Fixed, RetryBaseDelay = "00:00:00.500")]
    public static void ImportLegacyFeed(string feed, JobContext context)
    {
        Log.LogWarning("[dead letter] import of {Feed} failed on attempt {Attempt}", feed, context.Attempt);
        throw new InvalidDataException($"{feed} is not a valid feed.");
    }
}

/// <summary>An order, serialized by the generated code with no reflection.</summary>
public sealed record Order(Guid Id, decimal Total, string Currency, List<OrderLine> Lines);

/// <summary>One line of an order.</summary>
public sealed record OrderLine(string Sku, int Quantity);
