namespace TaskQueue.Processing;

/// <summary>Why a running attempt's cancellation token fired; the first reason wins.</summary>
internal enum CancelReason
{
    None = 0,

    /// <summary>The per-attempt timeout elapsed: the attempt failed.</summary>
    Timeout = 1,

    /// <summary>Someone cancelled the job through the store: the store already finished it.</summary>
    JobCancelled = 2,

    /// <summary>The store no longer holds this attempt's lease (recovered elsewhere): its outcome would be rejected.</summary>
    LeaseLost = 3,

    /// <summary>The worker stopped and the drain time passed: the job goes back to the queue uncounted.</summary>
    Shutdown = 4,
}
