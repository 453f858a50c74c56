using System.Collections.Frozen;

namespace TaskQueue.Processing;

/// <summary>
/// Every job this process can run, merged from the generated dispatch tables of all registered
/// assemblies into one frozen lookup by job name. That lookup is the only one: it yields the job's invoker.
/// </summary>
public sealed class JobDispatcher
{
    private readonly FrozenDictionary<string, JobRegistration> _jobs;

    /// <summary>Merges <paramref name="registries"/>.</summary>
    /// <exception cref="InvalidOperationException">Two jobs share a name (in one registry or across registries).</exception>
    public JobDispatcher(IEnumerable<IJobRegistry> registries)
    {
        ArgumentNullException.ThrowIfNull(registries);
        var jobs = new Dictionary<string, JobRegistration>(StringComparer.Ordinal);
        foreach (var registry in registries)
        {
            ArgumentNullException.ThrowIfNull(registry, nameof(registries));
            foreach (var definition in registry.Jobs)
            {
                if (definition is null)
                {
                    throw new InvalidOperationException($"The job registry {registry.GetType().FullName} lists a null job definition.");
                }

                if (jobs.TryGetValue(definition.Name, out var existing))
                {
                    throw new InvalidOperationException(
                        $"Job name '{definition.Name}' is defined twice: by {existing.Registry.GetType().FullName} and by {registry.GetType().FullName}. "
                        + "Job names must be unique across every registered assembly; set [Job(Name = \"...\")] on one of them.");
                }

                jobs.Add(definition.Name, new JobRegistration(definition, registry, definition.Invoker ?? ByName(registry, definition.Name)));
            }
        }

        _jobs = jobs.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The names of every known job.</summary>
    public IEnumerable<string> JobNames => _jobs.Keys;

    /// <summary>How many jobs are known.</summary>
    public int Count => _jobs.Count;

    /// <summary>For definitions without an invoker: one closure per job, made here once, never per call.</summary>
    private static JobInvoker ByName(IJobRegistry registry, string name)
        => (payload, context) => registry.InvokeAsync(name, payload, context);

    /// <summary>Finds the job called <paramref name="name"/>.</summary>
    public bool TryGetJob(string name, out JobRegistration registration) => _jobs.TryGetValue(name, out registration);
}
