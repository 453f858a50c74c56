using TaskQueue.Storage;

namespace TaskQueue.Processing;

/// <summary>The attempts of one worker whose outcome is not decided yet, by job id.</summary>
/// <remarks>
/// A plain dictionary under a lock rather than a concurrent one: every job is added and removed once, and a
/// concurrent dictionary allocates a node per add, while this one reuses its entries. Each hold is a few
/// instructions, so the lock is not a bottleneck at any realistic concurrency.
/// </remarks>
internal sealed class RunningJobs
{
    private readonly Dictionary<JobId, RunningJob> _jobs = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource? _idle;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _jobs.Count;
            }
        }
    }

    public void Add(RunningJob job)
    {
        lock (_gate)
        {
            _jobs[job.Job.Id] = job;
        }
    }

    /// <summary>Removes <paramref name="job"/> (not a newer attempt of the same id) and wakes a drain waiting for idle.</summary>
    public void Remove(RunningJob job)
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (_jobs.TryGetValue(job.Job.Id, out var current) && ReferenceEquals(current, job))
            {
                _jobs.Remove(job.Job.Id);
            }

            if (_jobs.Count == 0)
            {
                idle = _idle;
            }
        }

        // Outside the lock; the continuations run asynchronously anyway.
        idle?.TrySetResult();
    }

    public bool TryGet(JobId id, out RunningJob job)
    {
        lock (_gate)
        {
            return _jobs.TryGetValue(id, out job!);
        }
    }

    /// <summary>Copies the leases of every running attempt into <paramref name="leases"/>.</summary>
    public void CollectLeases(List<LeaseHandle> leases)
    {
        leases.Clear();
        lock (_gate)
        {
            foreach (var pair in _jobs)
            {
                leases.Add(pair.Value.Job.Lease);
            }
        }
    }

    /// <summary>A snapshot of the running attempts.</summary>
    public RunningJob[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _jobs.Values];
        }
    }

    /// <summary>Completes when no attempt is running.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (_jobs.Count == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }
}
