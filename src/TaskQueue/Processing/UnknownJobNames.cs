using System.Collections.Concurrent;

namespace TaskQueue.Processing;

/// <summary>
/// The job names this worker met without a handler, so each is logged once. Bounded: names come from storage, which
/// other apps share, so an endless stream of new names must not grow memory (past the bound, names are logged every time).
/// </summary>
internal sealed class UnknownJobNames
{
    private const int MaxNames = 1024;

    private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);

    /// <summary>True the first time <paramref name="name"/> is seen (and every time once the bound is reached).</summary>
    public bool FirstTime(string name)
    {
        if (_seen.ContainsKey(name))
        {
            return false;
        }

        return _seen.Count >= MaxNames || _seen.TryAdd(name, true);
    }
}
