using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Scheduling;
using TaskQueue.Storage;

namespace TaskQueue.Dashboard.Api;

/// <summary>A recurring schedule: its definition, where it stands, and its last occurrence's outcome.</summary>
internal sealed record ScheduleResponse(
    string Name,
    string JobName,
    string Queue,
    string Cron,
    string TimeZone,
    bool Paused,
    DateTimeOffset? NextDueAt,
    DateTimeOffset? LastDueAt,
    string? LastJobId,
    string? LastOutcome,
    string Misfire,
    int MaxCatchUp,
    string Overlap,
    string Priority,
    int MaxRetries,
    string? Timeout,
    JsonElement? Arguments,
    string Origin,
    string? DeclaredBy,
    long Skipped);

/// <summary>The result of deleting a schedule.</summary>
internal sealed record ScheduleActionResponse(string Name, string Action);

/// <summary>Recurring schedules (<see cref="IRecurringJobClient"/>): list, one, pause, resume and delete.</summary>
internal static class ScheduleHandlers
{
    public static async Task<Ok<IReadOnlyList<ScheduleResponse>>> List([FromServices] IServiceProvider services, CancellationToken ct)
    {
        if (Client(services) is not { } client)
        {
            return TypedResults.Ok<IReadOnlyList<ScheduleResponse>>([]);
        }

        var schedules = await client.ListAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<ScheduleResponse>>(schedules.Select(ToResponse).ToArray());
    }

    public static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> Get(string name, [FromServices] IServiceProvider services, CancellationToken ct)
    {
        if (Check(name, services, out var client) is { } problem)
        {
            return problem;
        }

        var schedule = await client.GetAsync(name, ct).ConfigureAwait(false);
        return schedule is null ? Unknown(name) : TypedResults.Ok(ToResponse(schedule));
    }

    public static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> Pause(string name, [FromServices] IServiceProvider services, CancellationToken ct)
    {
        if (Check(name, services, out var client) is { } problem)
        {
            return problem;
        }

        if (!await client.PauseAsync(name, ct).ConfigureAwait(false))
        {
            return Unknown(name);
        }

        var schedule = await client.GetAsync(name, ct).ConfigureAwait(false);
        return schedule is null ? Unknown(name) : TypedResults.Ok(ToResponse(schedule));
    }

    /// <summary>Resumes from now; resuming a schedule that is not paused changes nothing and answers 200.</summary>
    public static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> Resume(string name, [FromServices] IServiceProvider services, CancellationToken ct)
    {
        if (Check(name, services, out var client) is { } problem)
        {
            return problem;
        }

        await client.ResumeAsync(name, ct).ConfigureAwait(false);
        var schedule = await client.GetAsync(name, ct).ConfigureAwait(false);
        return schedule is null ? Unknown(name) : TypedResults.Ok(ToResponse(schedule));
    }

    public static async Task<Results<Ok<ScheduleActionResponse>, ProblemHttpResult>> Delete(string name, [FromServices] IServiceProvider services, CancellationToken ct)
    {
        if (Check(name, services, out var client) is { } problem)
        {
            return problem;
        }

        return await client.DeleteAsync(name, ct).ConfigureAwait(false)
            ? TypedResults.Ok(new ScheduleActionResponse(name, "delete"))
            : Unknown(name);
    }

    public static ScheduleResponse ToResponse(ScheduleInfo info)
    {
        var state = info.State;
        var schedule = state.Schedule;
        return new ScheduleResponse(
            schedule.Name,
            schedule.JobName,
            schedule.Queue,
            schedule.Cron,
            schedule.TimeZone,
            state.Paused,
            state.Paused ? null : state.NextDueAt,
            state.LastDueAt,
            state.LastJobId?.Value,
            info.LastOutcome is { } outcome ? ApiModels.Name(outcome) : null,
            JsonNamingPolicy.CamelCase.ConvertName(schedule.Misfire.ToString()),
            schedule.MaxCatchUp,
            JsonNamingPolicy.CamelCase.ConvertName(schedule.Overlap.ToString()),
            ApiModels.Name(schedule.Priority),
            schedule.MaxRetries,
            schedule.Timeout?.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ApiModels.InlineJson(schedule.Payload),
            schedule.DeclaredBy is null ? "dynamic" : "declared",
            schedule.DeclaredBy,
            state.Skipped);
    }

    /// <summary>The client over the app's store, or null when the store keeps no schedules.</summary>
    private static IRecurringJobClient? Client(IServiceProvider services)
    {
        var store = services.GetRequiredService<IJobStore>();
        if (store is not IScheduleStore)
        {
            return null;
        }

        return services.GetService<IRecurringJobClient>() ?? new RecurringJobClient(store);
    }

    private static ProblemHttpResult? Check(string name, IServiceProvider services, out IRecurringJobClient client)
    {
        client = null!;
        if (!JobNames.IsValidJobName(name))
        {
            return ApiProblems.BadRequest("name",
                $"'{ApiProblems.Shorten(name)}' is not a valid schedule name: use 1 to {JobNames.MaxLength} characters of A-Z, a-z, 0-9, '-', '_', '.' or ':'.",
                value: ApiProblems.Shorten(name));
        }

        if (Client(services) is not { } found)
        {
            return ApiProblems.NotFound($"No schedule '{name}': this app's job store does not store recurring schedules.", "name");
        }

        client = found;
        return null;
    }

    private static ProblemHttpResult Unknown(string name)
        => ApiProblems.NotFound($"No schedule named '{name}' (never created, or deleted).", "name");
}
