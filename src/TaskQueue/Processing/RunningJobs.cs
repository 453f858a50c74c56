using System.Collections.Concurrent;
using TaskQueue.Storage;

namespace TaskQueue.Processing;

/// <summary>The attempts of one worker whose outcome is not decided yet, by job id.</summary>
internal sealed class RunningJobs
{
    private readonly ConcurrentDictionary<JobId, RunningJob> _jobs = new();
    private readonly Lock _idleGate = new();
    private TaskCompletionSource? _idle;

    public int Count => _jobs.Count;

    public void Add(RunningJob job) => _jobs[job.Job.Id] = job;

    /// <summary>Removes <paramref name="job"/> (not a newer attempt of the same id) and wakes a drain waiting for idle.</summary>
    public void Remove(RunningJob job)
    {
        _jobs.TryRemove(new KeyValuePair<JobId, RunningJob>(job.Job.Id, job));
        if (_jobs.IsEmpty)
        {
            lock (_idleGate)
            {
                _idle?.TrySetResult();
            }
        }
    }

    public bool TryGet(JobId id, out RunningJob job) => _jobs.TryGetValue(id, out job!);

    /// <summary>Copies the leases of every running attempt into <paramref name="leases"/>.</summary>
    public void CollectLeases(List<LeaseHandle> leases)
    {
        leases.Clear();
        foreach (var pair in _jobs)
        {
            leases.Add(pair.Value.Job.Lease);
        }
    }

    /// <summary>A snapshot of the running attempts.</summary>
    public RunningJob[] Snapshot()
    {
        var values = _jobs.Values;
        return [.. values];
    }

    /// <summary>Completes when no attempt is running.</summary>
    public Task WhenIdleAsync()
    {
        lock (_idleGate)
        {
            if (_jobs.IsEmpty)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _jobs.IsEmpty ? Task.CompletedTask : _idle.Task;
        }
    }
}
