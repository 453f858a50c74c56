using System.Text;

namespace TaskQueue.IntegrationTests;

/// <summary>
/// The sample worker's <c>DrillJobs.Sleep</c> (samples/Worker), enqueued by name from the tests as another app would.
/// Each attempt records "start|done ID attempt N pid P" as an empty file in its marker folder.
/// </summary>
internal static class DrillJob
{
    /// <summary>The queue the drill job is declared on.</summary>
    public const string Queue = "drills";

    /// <summary>Its definition as the sample declares it.</summary>
    public static readonly JobDefinition Sleep = new("Sleep", Queue, Priority.Normal, maxRetries: 5, timeout: null, RetryPolicy.Default, requiresScope: false);

    /// <summary>The arguments: where to record attempts, and how long each sleeps.</summary>
    public static ReadOnlyMemory<byte> Payload(string marker, int milliseconds)
        => Encoding.UTF8.GetBytes($$"""{"marker":{{System.Text.Json.JsonSerializer.Serialize(marker)}},"milliseconds":{{milliseconds}}}""");

    /// <summary>The events recorded in <paramref name="folder"/>, sorted.</summary>
    public static List<string> Lines(string folder)
        => Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)] : [];
}
