namespace TaskQueue.Scheduling;

/// <summary>Whether an occurrence is enqueued while the schedule's previous occurrence has not finished.</summary>
public enum OverlapPolicy
{
    /// <summary>Enqueue every occurrence, whatever the previous one is doing (the default).</summary>
    Allow = 0,

    /// <summary>Skip an occurrence while the previous one is still waiting, scheduled for a retry or running.</summary>
    SkipIfRunning = 1,
}
