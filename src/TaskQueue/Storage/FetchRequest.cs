namespace TaskQueue.Storage;

/// <summary>What a worker asks of <see cref="IJobStore.FetchAsync"/>.</summary>
/// <param name="Queue">The queue to take from.</param>
/// <param name="MaxJobs">At most this many jobs.</param>
/// <param name="LeaseDuration">How long the lease lasts unless extended.</param>
/// <param name="WorkerId">The fetching worker, recorded on the lease for operators.</param>
public sealed record FetchRequest(string Queue, int MaxJobs, TimeSpan LeaseDuration, string WorkerId);
