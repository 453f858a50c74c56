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

/// <summary>
/// A job for fault drills: records each attempt's start and end as an empty file in the folder <c>marker</c>
/// (one file per event, so concurrent attempts never overwrite each other's records).
/// </summary>
public static class DrillJobs
{
    [Job(Queue = "drills", MaxRetries = 5, Retry = RetryStrategy.Fixed, RetryBaseDelay = "00:00:00.200")]
    public static async Task Sleep(string marker, int milliseconds, JobContext context)
    {
        Record(marker, "start", context);
        await Task.Delay(milliseconds, context.CancellationToken);
        Record(marker, "done", context);
    }

    private static void Record(string folder, string what, JobContext context)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, $"{what} {context.Id} attempt {context.Attempt} pid {Environment.ProcessId}"), []);
    }
}

/// <summary>A cart: prices and quantities by SKU.</summary>
public sealed record Cart(string Customer, Dictionary<string, decimal> Items, Dictionary<string, int> Quantities);

/// <summary>What checkout returns.</summary>
public sealed record Receipt(string Customer, decimal Total, DateTimeOffset At);

/// <summary>The fault suite's job (tests/TaskQueue.FaultTests): sleeps, then records the finished run in the ledger.</summary>
public static class FaultDrillJobs
{
    /// <summary>
    /// Ignores its cancellation token on purpose: a worker stalled past its lease (SIGSTOP) finishes the run when it
    /// resumes, so only the store's lease fence can keep that late success from being recorded twice.
    /// </summary>
    [Job(Queue = "fault-drill", MaxRetries = 25, Retry = RetryStrategy.Fixed, RetryBaseDelay = "00:00:00.200")]
    public static async Task FaultDrill(int milliseconds, JobContext context)
    {
        if (milliseconds > 0)
        {
            await Task.Delay(milliseconds, CancellationToken.None);
        }

        await FaultDrillLedger.RecordDoneAsync(context.Id.ToString(), context.Attempt);
    }
}
