using TaskQueue;

namespace SampleWorker;

/// <summary>
/// A job for recurring schedules made at run time (the multi-process scheduler test schedules it every second on its
/// own queue): it prints the occurrence's job id, so a test can count which process ran which occurrence.
/// </summary>
public static class TickJobs
{
    /// <summary>The queue ticks run on; a worker serves it only when told to (<c>--TaskQueue:Worker:Queues:0=ticks</c>).</summary>
    public const string Queue = "ticks";

    [Job(Queue = Queue, MaxRetries = 0)]
    public static void Tick(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Console.WriteLine($"tick {context.Id}");
    }
}
