using TaskQueue.Processing;

namespace TaskQueue.Hosting;

/// <summary>The workers this host runs, so the gauges can read their running jobs (one per host today).</summary>
internal sealed class RunningWorkers
{
    private readonly Lock _gate = new();
    private readonly List<Worker> _workers = [];

    public void Add(Worker worker)
    {
        lock (_gate)
        {
            _workers.Add(worker);
        }
    }

    public void Remove(Worker worker)
    {
        lock (_gate)
        {
            _workers.Remove(worker);
        }
    }

    /// <summary>Jobs running now in this host's workers.</summary>
    public int RunningJobs()
    {
        lock (_gate)
        {
            return _workers.Sum(w => w.RunningCount);
        }
    }
}
