namespace TaskQueue.Dashboard.BrowserTests;

/// <summary>The jobs of the app under test: real generated jobs, each in a queue of its own.</summary>
public static class BrowserJobs
{
    public const string WaitingQueue = "waiting";
    public const string WorkQueue = "work";
    public const string FailingQueue = "failing";

    /// <summary>Never served by the test app's worker: its jobs stay pending or scheduled, so their counts are known.</summary>
    [Job(Queue = WaitingQueue)]
    public static Task Notify(string user, string message) => Task.CompletedTask;

    /// <summary>Served by the worker; returns a greeting.</summary>
    [Job(Queue = WorkQueue, Priority = Priority.High)]
    public static async Task<string> Greet(string name, int times, CancellationToken cancellationToken)
    {
        await Task.Delay(10, cancellationToken);
        return string.Concat(Enumerable.Repeat($"Hello, {name}! ", Math.Clamp(times, 1, 5))).Trim();
    }

    /// <summary>Always fails, with no retries: one attempt makes a dead letter.</summary>
    [Job(Queue = FailingQueue, MaxRetries = 0)]
    public static Task ChargeCard(string cardId, decimal amount)
        => throw new InvalidOperationException($"Card {cardId} was declined for {amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}: gateway retired.");
}
