using System.Collections.Concurrent;
using TaskQueue;
using TaskQueue.Client;

namespace ShopApp;

/// <summary>An app's jobs, as a user writes them.</summary>
public static class ShopJobs
{
    public static ConcurrentDictionary<string, int> ChargeAttempts { get; } = new();

    public static ConcurrentQueue<string> Receipts { get; } = new();

    /// <summary>Declines the first attempt of every order: the retry succeeds.</summary>
    [Job(Queue = "shop", MaxRetries = 2)]
    public static Task ChargeCard(string orderId, decimal amount)
    {
        if (ChargeAttempts.AddOrUpdate(orderId, 1, (_, n) => n + 1) == 1)
        {
            throw new InvalidOperationException($"card declined for {orderId} ({amount})");
        }

        return Task.CompletedTask;
    }

    [Job(Queue = "shop")]
    public static void SendReceipt(string orderId, string email) => Receipts.Enqueue($"{orderId}->{email}");

    [Job(Queue = "shop", MaxRetries = 1)]
    public static void AlwaysFails(string orderId) => throw new InvalidOperationException("warehouse offline for " + orderId);
}

/// <summary>The code under test: it enqueues through the generated proxies.</summary>
public sealed class OrderService(IJobClient jobs)
{
    public async Task PlaceAsync(string orderId, decimal amount, string email)
    {
        await Jobs.ChargeCard.EnqueueAsync(jobs, orderId, amount);
        await Jobs.SendReceipt.ScheduleAsync(jobs, orderId, email, TimeSpan.FromHours(1));
    }
}
