using TaskQueue.Storage;

namespace TaskQueue.Admin;

/// <summary>One page of a queue's jobs in one state.</summary>
public sealed record JobPage
{
    /// <summary>The largest page <see cref="IJobAdmin.ListJobsAsync"/> returns.</summary>
    public const int MaxCount = 500;

    /// <summary>The jobs of the page, in the state's order (fewer than asked at the end, or when jobs left the state while it was read).</summary>
    public required IReadOnlyList<JobInfo> Jobs { get; init; }

    /// <summary>How many jobs the state held when the page was read.</summary>
    public required long Total { get; init; }

    /// <summary>The offset the page starts at.</summary>
    public required int Offset { get; init; }
}
