using System.Text.Json.Serialization;
using TaskQueue;

namespace SampleWorker;

/// <summary>The jobs this worker runs.</summary>
public static class WorkerJobs
{
    private static long s_firstJobTicks;

    /// <summary>Jobs completed by this process (incremented by every job).</summary>
    internal static long ProcessedCounter;

    /// <summary>Jobs completed by this process.</summary>
    public static long Processed => Interlocked.Read(ref ProcessedCounter);

    /// <summary><see cref="Environment.TickCount64"/> when the first job ran, or 0.</summary>
    public static long FirstJobTicks => Interlocked.Read(ref s_firstJobTicks);

    [Job(Queue = "default")]
    public static void Ping(int sequence, string note)
    {
        _ = sequence;
        _ = note;
        Interlocked.CompareExchange(ref s_firstJobTicks, Environment.TickCount64, 0);
        Interlocked.Increment(ref ProcessedCounter);
    }

    [Job(Priority = Priority.High)]
    public static async Task<Receipt> Checkout(Cart cart, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.CompareExchange(ref s_firstJobTicks, Environment.TickCount64, 0);
        Interlocked.Increment(ref ProcessedCounter);
        decimal total = 0;
        foreach (var item in cart.Items)
        {
            total += item.Value * cart.Quantities.GetValueOrDefault(item.Key, 1);
        }

        return new Receipt(cart.Customer, total, DateTimeOffset.UtcNow);
    }
}

/// <summary>A job whose argument type (<see cref="Uri"/>) the generated serializer does not know: it goes through <see cref="WorkerJsonContext"/>.</summary>
public static class LinkJobs
{
    [Job]
    public static void CheckLink(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException($"'{url}' is not absolute.", nameof(url));
        }

        Interlocked.Increment(ref WorkerJobs.ProcessedCounter);
    }
}

/// <summary>System.Text.Json source-generated metadata for the types our jobs take that TaskQueue's serializer does not.</summary>
[JsonSerializable(typeof(Uri))]
internal sealed partial class WorkerJsonContext : JsonSerializerContext;

/// <summary>A job for fault drills: writes when each attempt starts and ends to a marker file.</summary>
public static class DrillJobs
{
    [Job(Queue = "drills", MaxRetries = 5, Retry = RetryStrategy.Fixed, RetryBaseDelay = "00:00:00.200")]
    public static async Task Sleep(string marker, int milliseconds, JobContext context)
    {
        await File.AppendAllTextAsync(marker, $"start {context.Id} attempt {context.Attempt} pid {Environment.ProcessId}\n", context.CancellationToken);
        await Task.Delay(milliseconds, context.CancellationToken);
        await File.AppendAllTextAsync(marker, $"done {context.Id} attempt {context.Attempt} pid {Environment.ProcessId}\n", context.CancellationToken);
    }
}

/// <summary>A cart: prices and quantities by SKU.</summary>
public sealed record Cart(string Customer, Dictionary<string, decimal> Items, Dictionary<string, int> Quantities);

/// <summary>What checkout returns.</summary>
public sealed record Receipt(string Customer, decimal Total, DateTimeOffset At);
