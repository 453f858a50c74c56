using TaskQueue;

namespace SampleWebApp;

/// <summary>A shop's background work: something quick, something slow, something flaky and something broken.</summary>
public static class WebAppJobs
{
    [Job(Queue = "emails", Priority = Priority.High)]
    public static Task SendWelcomeEmail(string to, string customerName, CancellationToken cancellationToken)
        => Task.Delay(Random.Shared.Next(5, 40), cancellationToken);

    /// <summary>Slow: a second per page, so the dashboard shows it running.</summary>
    [Job(Queue = "reports", Priority = Priority.Low, Timeout = "00:02:00")]
    public static async Task<ReportSummary> GenerateReport(string title, int pages, JobContext context)
    {
        // One page a second, with progress the dashboard's job page shows while it runs.
        var total = Math.Clamp(pages, 1, 60);
        for (var page = 1; page <= total; page++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), context.CancellationToken);
            await context.ReportProgressAsync(100.0 * page / total, context.CancellationToken);
        }

        return new ReportSummary(title, pages, $"/reports/{Uri.EscapeDataString(title)}.pdf");
    }

    /// <summary>Fails about one attempt in three, then succeeds on a retry: the dashboard shows the retries.</summary>
    [Job(Queue = "inventory", MaxRetries = 4, Retry = RetryStrategy.Fixed, RetryBaseDelay = "00:00:02")]
    public static Task SyncInventory(string warehouse, int items, JobContext context)
    {
        if (Random.Shared.Next(3) == 0)
        {
            throw new TimeoutException($"Warehouse {warehouse} did not answer within 5 s (attempt {context.Attempt}).");
        }

        return Task.Delay(items, context.CancellationToken);
    }

    /// <summary>Always fails: after its retries it becomes a dead letter, to requeue or delete from the dashboard.</summary>
    [Job(Queue = "billing", Priority = Priority.Critical, MaxRetries = 1, Retry = RetryStrategy.Fixed, RetryBaseDelay = "00:00:01")]
    public static Task ChargeLegacyCard(string cardId, decimal amount)
        => throw new InvalidOperationException($"The legacy gateway declined card {cardId} for {amount:0.00}: gateway retired.");
}

/// <summary>What a generated report returns.</summary>
public sealed record ReportSummary(string Title, int Pages, string Url);
