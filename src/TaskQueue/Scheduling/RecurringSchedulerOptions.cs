namespace TaskQueue.Scheduling;

/// <summary>Settings of the recurring-job scheduler (section <c>TaskQueue:Scheduler</c>).</summary>
public sealed class RecurringSchedulerOptions
{
    /// <summary>False to run no scheduler in this process (other processes still may). Default: true (with the worker).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The longest sleep between two looks at the schedules: bounds how late a new or changed schedule is noticed. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How late an occurrence may be and still run as on time; later ones are misfires (<see cref="MisfirePolicy"/>). Default 1 min.</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the list of queues that hold schedules is read again. Default 10 s.</summary>
    public TimeSpan QueueRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Due schedules read per queue and call. Default 100.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value that cannot work.</summary>
    public void Validate()
    {
        if (PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "Scheduler PollInterval must be positive.");
        }

        if (MisfireThreshold <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MisfireThreshold), MisfireThreshold, "Scheduler MisfireThreshold must be positive.");
        }

        if (QueueRefreshInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueRefreshInterval), QueueRefreshInterval, "Scheduler QueueRefreshInterval must be positive.");
        }

        if (BatchSize is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Scheduler BatchSize must be 1 to 10000.");
        }
    }
}
