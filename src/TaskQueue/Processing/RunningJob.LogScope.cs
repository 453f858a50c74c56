using System.Collections;
using System.Globalization;

namespace TaskQueue.Processing;

/// <summary>
/// The attempt is its own logging scope state (job id, name and attempt), so opening the scope allocates no state;
/// the attempt number is boxed only if a provider reads the values.
/// </summary>
internal sealed partial class RunningJob : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The scope's keys; the same names as the worker's own log messages use.</summary>
    public const string JobIdKey = "JobId";

    public const string JobNameKey = "JobName";

    public const string AttemptKey = "Attempt";

    int IReadOnlyCollection<KeyValuePair<string, object?>>.Count => 3;

    KeyValuePair<string, object?> IReadOnlyList<KeyValuePair<string, object?>>.this[int index] => index switch
    {
        0 => new(JobIdKey, Job.Id.Value),
        1 => new(JobNameKey, Job.Name),
        2 => new(AttemptKey, Job.Attempt),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    IEnumerator<KeyValuePair<string, object?>> IEnumerable<KeyValuePair<string, object?>>.GetEnumerator()
    {
        IReadOnlyList<KeyValuePair<string, object?>> scope = this;
        for (var i = 0; i < 3; i++)
        {
            yield return scope[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)this).GetEnumerator();

    /// <summary>How text loggers print the scope.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{JobIdKey}:{Job.Id.Value} {JobNameKey}:{Job.Name} {AttemptKey}:{Job.Attempt}");
}
