namespace TaskQueue.Admin;

/// <summary>The states <see cref="IJobAdmin.ListJobsAsync"/> lists, each in the order it is worked through.</summary>
public enum JobListState
{
    /// <summary>Ready to run: highest priority first, then oldest first (the order workers fetch them).</summary>
    Pending = 0,

    /// <summary>Waiting for a run-at time: soonest due first.</summary>
    Scheduled = 1,

    /// <summary>Leased by a worker: soonest lease deadline first.</summary>
    Running = 2,

    /// <summary>Waiting for a retry backoff: soonest due first.</summary>
    Retrying = 3,

    /// <summary>Dead letters: most recently failed first.</summary>
    Dead = 4,

    /// <summary>Succeeded and still kept for the result retention time: most recent first.</summary>
    Succeeded = 5,

    /// <summary>Cancelled and still kept for the result retention time: most recent first.</summary>
    Cancelled = 6,
}
