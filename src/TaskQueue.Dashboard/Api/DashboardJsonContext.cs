using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskQueue.Dashboard.Api;

/// <summary>
/// The API's JSON types, generated at compile time (trim- and NativeAOT-safe). Inserted first into the host's HTTP JSON
/// options, so responses follow the host's naming policy (camelCase by default).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(JobResponse))]
[JsonSerializable(typeof(JobPageResponse))]
[JsonSerializable(typeof(QueueResponse))]
[JsonSerializable(typeof(IReadOnlyList<QueueResponse>))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(DailyTotalsListResponse))]
[JsonSerializable(typeof(IReadOnlyList<WorkerResponse>))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ReadyResponse))]
[JsonSerializable(typeof(IReadOnlyList<JobTypeResponse>))]
[JsonSerializable(typeof(JobTypeResponse))]
[JsonSerializable(typeof(CreatedJobResponse))]
[JsonSerializable(typeof(BulkCreatedResponse))]
[JsonSerializable(typeof(ActionResponse))]
[JsonSerializable(typeof(CountResponse))]
[JsonSerializable(typeof(QueueActionResponse))]
[JsonSerializable(typeof(ScheduleResponse))]
[JsonSerializable(typeof(IReadOnlyList<ScheduleResponse>))]
[JsonSerializable(typeof(ScheduleActionResponse))]
[JsonSerializable(typeof(string))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
