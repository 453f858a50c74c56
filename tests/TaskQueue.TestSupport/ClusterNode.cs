using System.Globalization;

namespace TaskQueue.TestSupport;

/// <summary>One line of <c>CLUSTER NODES</c>: a node's id, address, role, master and slot ranges.</summary>
/// <param name="Id">The node id.</param>
/// <param name="Port">Its client port (every test node listens on 127.0.0.1).</param>
/// <param name="IsMaster">True for a master, false for a replica.</param>
/// <param name="IsFailed">True while the cluster marks it failed (<c>fail</c> or <c>fail?</c>).</param>
/// <param name="MasterId">A replica's master id, else null.</param>
/// <param name="Slots">The slot ranges a master serves (inclusive).</param>
public sealed record ClusterNode(string Id, int Port, bool IsMaster, bool IsFailed, string? MasterId, IReadOnlyList<(int Start, int End)> Slots)
{
    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string EndPoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Whether this node serves <paramref name="slot"/>.</summary>
    public bool Serves(int slot) => Slots.Any(r => r.Start <= slot && slot <= r.End);

    /// <summary>Parses the whole <c>CLUSTER NODES</c> reply.</summary>
    public static IReadOnlyList<ClusterNode> ParseAll(string reply)
        => [.. reply.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse)];

    /// <inheritdoc/>
    public override string ToString()
        => $"{EndPoint} {(IsMaster ? "master" : "replica")}{(IsFailed ? " failed" : string.Empty)} {string.Join(',', Slots.Select(static r => $"{r.Start}-{r.End}"))}";

    // <id> <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot> <slot> ...
    private static ClusterNode Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var address = fields[1].Split('@')[0];
        var port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        var flags = fields[2].Split(',');
        var slots = fields.Skip(8)
            .Where(static s => !s.StartsWith('['))
            .Select(static s => s.Split('-') is [var start, var end]
                ? (int.Parse(start, CultureInfo.InvariantCulture), int.Parse(end, CultureInfo.InvariantCulture))
                : (int.Parse(s, CultureInfo.InvariantCulture), int.Parse(s, CultureInfo.InvariantCulture)))
            .ToList();
        return new ClusterNode(
            fields[0],
            port,
            flags.Contains("master"),
            flags.Contains("fail") || flags.Contains("fail?"),
            fields[3] == "-" ? null : fields[3],
            slots);
    }
}
