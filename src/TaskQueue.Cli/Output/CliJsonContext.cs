using System.Text.Json.Serialization;
using TaskQueue.Cli.Commands;
using TaskQueue.Storage;

namespace TaskQueue.Cli.Output;

/// <summary>Source-generated JSON for <c>--json</c> output: no reflection, AOT-clean. camelCase, enums as strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(JobPageView))]
[JsonSerializable(typeof(ActionView))]
[JsonSerializable(typeof(StatsView))]
[JsonSerializable(typeof(EnqueueView))]
[JsonSerializable(typeof(ErrorView))]
[JsonSerializable(typeof(ScheduleView))]
[JsonSerializable(typeof(IReadOnlyList<ScheduleView>))]
[JsonSerializable(typeof(ScheduleActionView))]
[JsonSerializable(typeof(IReadOnlyList<QueueStats>))]
[JsonSerializable(typeof(IReadOnlyList<WorkerInfo>))]
[JsonSerializable(typeof(string))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
