using TaskQueue.Admin;
using TaskQueue.Storage;

namespace TaskQueue.TestSupport;

/// <summary>Short forms of <see cref="IJobAdmin"/> calls that tests make often.</summary>
public static class AdminShortcuts
{
    /// <summary>A page of the queue's dead letters, newest first.</summary>
    public static async Task<IReadOnlyList<JobInfo>> ListDeadLettersAsync(this IJobAdmin admin, string queue, int offset, int count)
        => (await admin.ListJobsAsync(queue, JobListState.Dead, offset, count)).Jobs;

    /// <summary>Requeues every dead letter of the queue; returns how many.</summary>
    public static async Task<long> RequeueAllDeadLettersAsync(this IJobAdmin admin, string queue)
        => await admin.RequeueDeadLettersAsync(queue, DeadLetterFilter.All);

    /// <summary>The names of the queues that received jobs.</summary>
    public static async Task<List<string>> ListQueueNamesAsync(this IJobAdmin admin)
        => [.. (await admin.ListQueuesAsync()).Select(q => q.Queue)];
}
