namespace TaskQueue.Dashboard.Tests;

public enum Tier
{
    Free,
    Pro,
}

public sealed record OrderLine(string Sku, int Quantity);

public sealed record Order(string Number, List<OrderLine> Lines, string? Note = null);

/// <summary>The jobs the API tests create: generated proxies, schemas and validators, like any app's.</summary>
public static class ApiJobs
{
    public const string MailQueue = "api-mail";
    public const string OrdersQueue = "api-orders";
    public const string ReportsQueue = "api-reports";
    public const string FailingQueue = "api-failing";

    [Job(Queue = MailQueue, Priority = Priority.High, MaxRetries = 5)]
    public static Task SendEmail(string to, string subject, int? retryAfterSeconds = null, CancellationToken ct = default) => Task.CompletedTask;

    [Job(Queue = OrdersQueue)]
    public static Task<int> PlaceOrder(Order order, Tier tier, Dictionary<string, string> tags) => Task.FromResult(order.Lines.Count);

    [Job(Name = "reports:daily", Queue = ReportsQueue, Priority = Priority.Low)]
    public static void DailyReport(DateOnly day)
    {
    }

    [Job(Queue = FailingQueue, MaxRetries = 0)]
    public static Task AlwaysFails(string reason) => throw new InvalidOperationException("failed on purpose: " + reason);
}
