using Xunit;

namespace TaskQueue.Tests.Telemetry;

/// <summary>
/// Listeners are process-wide: telemetry tests run alone, so a test that needs "no listener" sees none and
/// no other test's jobs show up in a collector.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
