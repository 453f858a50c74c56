using System.ComponentModel;
using System.Globalization;
using System.Text;

namespace TaskQueue.Serialization;

/// <summary>
/// Where a generated payload reader is (job, parameter, JSON path), so that every failure becomes a
/// <see cref="JobPayloadException"/> naming all three. One instance per payload read; the path is
/// only turned into text when something fails.
/// </summary>
/// <remarks>
/// Every job reads one, so the common case costs nothing beyond this object: the parameter is a field, and the
/// list of nested segments (properties and array indexes, unboxed) is only made when a reader goes below one.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class JobPayloadReadState
{
    private List<PathSegment>? _nested;

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
            if (Parameter is not null)
            {
                builder.Append('.').Append(Parameter);
            }

            foreach (var segment in _nested ?? [])
            {
                if (segment.Property is { } property)
                {
                    builder.Append('.').Append(property);
                }
                else
                {
                    builder.Append('[').Append(segment.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                }
            }

            return builder.ToString();
        }
    }

    /// <summary>Enters a top-level parameter (or "result"): it becomes <see cref="Parameter"/> and the first path segment.</summary>
    public void EnterParameter(string name)
    {
        _nested?.Clear();
        Parameter = name;
    }

    /// <summary>Leaves the current parameter.</summary>
    public void ExitParameter()
    {
        _nested?.Clear();
        Parameter = null;
    }

    /// <summary>Enters an object property.</summary>
    public void Push(string property) => (_nested ??= []).Add(new PathSegment(property, 0));

    /// <summary>Enters an array element.</summary>
    public void PushIndex(int index) => (_nested ??= []).Add(new PathSegment(null, index));

    /// <summary>Leaves the innermost property or element.</summary>
    /// <exception cref="InvalidOperationException">Nothing was entered below the parameter.</exception>
    public void Pop()
    {
        if (_nested is not { Count: > 0 } nested)
        {
            throw new InvalidOperationException($"Reading a payload of job '{JobName}': Pop without a matching Push or PushIndex (a bug in the generated reader).");
        }

        nested.RemoveAt(nested.Count - 1);
    }

    /// <summary>An exception for a failure at the current path.</summary>
    public JobPayloadException Error(string reason, Exception? inner = null) => new(JobName, Parameter, Path, reason, inner);

    /// <summary>An exception for a required field (parameter or property) that the payload lacks.</summary>
    public JobPayloadException Missing(string name)
    {
        if (Parameter is null && _nested is not { Count: > 0 })
        {
            return new JobPayloadException(JobName, name, "$." + name, "the required field is missing");
        }

        Push(name);
        var error = Error("the required field is missing");
        Pop();
        return error;
    }

    /// <summary>One level below the parameter: a property name, or an array index when <see cref="Property"/> is null.</summary>
    private readonly record struct PathSegment(string? Property, int Index);
}
