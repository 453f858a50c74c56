using System.Diagnostics.CodeAnalysis;
using TaskQueue.Processing;

namespace TaskQueue.Dashboard.Api;

/// <summary>The jobs this app knows by name (every registered generated registry), for create and job types.</summary>
internal sealed class JobCatalog
{
    private readonly Dictionary<string, JobDefinition> _byName = new(StringComparer.Ordinal);

    public JobCatalog(IEnumerable<IJobRegistry> registries)
    {
        foreach (var registry in registries)
        {
            foreach (var job in registry.Jobs)
            {
                // The first registry to name a job wins, as in the worker's dispatcher.
                _byName.TryAdd(job.Name, job);
            }
        }

        Jobs = _byName.Values.OrderBy(j => j.Name, StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<JobDefinition> Jobs { get; }

    public bool TryGet(string name, [NotNullWhen(true)] out JobDefinition? job) => _byName.TryGetValue(name, out job);
}
