using TaskQueue.Storage;

namespace TaskQueue.Admin;

/// <summary>One page of a queue's jobs in one state.</summary>
public sealed record JobPage
{
    /// <summary>The largest page <see cref="IJobAdmin.ListJobsAsync"/> returns.</summary>
    public const int MaxCount = 500;

    /// <summary>The check every store applies to a page request.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative, or <paramref name="count"/> is not within 1-<see cref="MaxCount"/>.</exception>
    public static void Validate(int offset, int count)
    {
        if (offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The page offset must not be negative, but was {offset}.");
        }

        if (count is < 1 or > MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The page size must be within 1-{MaxCount}, but was {count}.");
        }
    }

    /// <summary>The jobs of the page, in the state's order (fewer than asked at the end, or when jobs left the state while it was read).</summary>
    public required IReadOnlyList<JobInfo> Jobs { get; init; }

    /// <summary>How many jobs the state held when the page was read.</summary>
    public required long Total { get; init; }

    /// <summary>The offset the page starts at.</summary>
    public required int Offset { get; init; }
}
