namespace TaskQueue.Storage;

/// <summary>Settings of an <see cref="InMemoryJobStore"/>.</summary>
public sealed class InMemoryJobStoreOptions
{
    /// <summary>How long succeeded and cancelled jobs (with their results) stay readable before they are forgotten. Default: 24 hours.</summary>
    public TimeSpan FinishedJobRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The largest payload accepted, in bytes (<see cref="IJobStore.MaxPayloadBytes"/>). Default: <see cref="NewJob.DefaultMaxPayloadBytes"/> (1 MiB).</summary>
    public int MaxPayloadBytes { get; set; } = NewJob.DefaultMaxPayloadBytes;
}
