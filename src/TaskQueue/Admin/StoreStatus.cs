namespace TaskQueue.Admin;

/// <summary>Whether a store answers, and what it runs on.</summary>
public sealed record StoreStatus
{
    /// <summary>The store kind: <c>in-memory</c> or <c>redis</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>True when the store answered.</summary>
    public required bool Available { get; init; }

    /// <summary>How long one round trip to the store took (zero in memory), or null when it did not answer.</summary>
    public TimeSpan? RoundTrip { get; init; }

    /// <summary>Why the store did not answer, or null.</summary>
    public string? Error { get; init; }

    /// <summary>The servers behind the store (Redis primaries and replicas; empty in memory).</summary>
    public IReadOnlyList<StoreServer> Servers { get; init; } = [];
}

/// <summary>One server behind a store.</summary>
/// <param name="Endpoint">Host and port.</param>
/// <param name="Role">primary or replica.</param>
/// <param name="Version">The server version, when known.</param>
/// <param name="Connected">True while the client holds a connection to it.</param>
public sealed record StoreServer(string Endpoint, string Role, string? Version, bool Connected);
