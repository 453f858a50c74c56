using System.Globalization;
using System.Text;

namespace TaskQueue.Serialization;

/// <summary>
/// Where a generated payload reader is (job, parameter, JSON path), so that every failure becomes a
/// <see cref="JobPayloadException"/> naming all three. One instance per payload read; the path is
/// only turned into text when something fails.
/// </summary>
public sealed class JobPayloadReadState
{
    private readonly List<object> _segments = [];

    /// <summary>Creates the state for reading a payload of <paramref name="jobName"/>.</summary>
    public JobPayloadReadState(string jobName)
    {
        JobName = jobName ?? throw new ArgumentNullException(nameof(jobName));
    }

    /// <summary>The job being read.</summary>
    public string JobName { get; }

    /// <summary>The parameter being read (or "result"), null between parameters.</summary>
    public string? Parameter { get; private set; }

    /// <summary>The current JSON path, e.g. <c>$.order.lines[2].sku</c>.</summary>
    public string Path
    {
        get
        {
            var builder = new StringBuilder("$");
            foreach (var segment in _segments)
            {
                if (segment is int index)
                {
                    builder.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
                }
                else
                {
                    builder.Append('.').Append((string)segment);
                }
            }

            return builder.ToString();
        }
    }

    /// <summary>Enters a top-level parameter (or "result"): it becomes <see cref="Parameter"/> and the first path segment.</summary>
    public void EnterParameter(string name)
    {
        _segments.Clear();
        Parameter = name;
        _segments.Add(name);
    }

    /// <summary>Leaves the current parameter.</summary>
    public void ExitParameter()
    {
        _segments.Clear();
        Parameter = null;
    }

    /// <summary>Enters an object property.</summary>
    public void Push(string property) => _segments.Add(property);

    /// <summary>Enters an array element.</summary>
    public void PushIndex(int index) => _segments.Add(index);

    /// <summary>Leaves the innermost property or element.</summary>
    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    /// <summary>An exception for a failure at the current path.</summary>
    public JobPayloadException Error(string reason, Exception? inner = null) => new(JobName, Parameter, Path, reason, inner);

    /// <summary>An exception for a required field (parameter or property) that the payload lacks.</summary>
    public JobPayloadException Missing(string name)
    {
        if (_segments.Count == 0)
        {
            return new JobPayloadException(JobName, name, "$." + name, "the required field is missing");
        }

        Push(name);
        var error = Error("the required field is missing");
        Pop();
        return error;
    }
}
