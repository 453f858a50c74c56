namespace TaskQueue;

/// <summary>
/// How urgent a job is. A worker always takes every ready job of a higher priority
/// before any job of a lower one (strict priority); jobs of one priority run first in, first out.
/// </summary>
public enum Priority
{
    /// <summary>Runs before everything else (alerts, payments in flight).</summary>
    Critical = 0,

    /// <summary>User-facing work that should not wait behind bulk work.</summary>
    High = 1,

    /// <summary>The default.</summary>
    Normal = 2,

    /// <summary>Bulk and maintenance work.</summary>
    Low = 3,
}
