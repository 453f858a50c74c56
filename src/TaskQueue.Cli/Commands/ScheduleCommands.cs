using System.CommandLine;
using System.Text.Json;
using TaskQueue.Cli.Output;
using TaskQueue.Scheduling;

namespace TaskQueue.Cli.Commands;

/// <summary><c>tq schedules list|show|pause|resume|delete</c>: the recurring schedules of the store.</summary>
internal static class ScheduleCommands
{
    public static Command Schedules() => new("schedules", "List, show, pause, resume and delete recurring schedules.")
    {
        List(),
        Show(),
        Pause(),
        Resume(),
        Delete(),
    };

    private static Command List()
    {
        var command = new Command("list", "Every schedule: job, queue, cron and time zone, next and last run, the last occurrence's job and outcome.");
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var schedules = await session.Schedules.ListAsync(ct).ConfigureAwait(false);
            if (session.Json)
            {
                CommandRunner.WriteJson<IReadOnlyList<ScheduleView>>([.. schedules.Select(ScheduleView.From)], CliJsonContext.Default.IReadOnlyListScheduleView);
                return ExitCodes.Ok;
            }

            var table = new TableWriter("schedule", "job", "queue", "cron", "time zone", "next run", "last run", "last job", "outcome", "paused");
            foreach (var s in schedules)
            {
                var state = s.State;
                table.Add(s.Name, state.Schedule.JobName, state.Schedule.Queue, state.Schedule.Cron, state.Schedule.TimeZone,
                    state.Paused ? null : state.NextDueAt, state.LastDueAt, state.LastJobId?.Value, s.LastJobId is null ? null : (object?)s.LastOutcome ?? "expired", state.Paused);
            }

            table.WriteTo(Console.Out);
            Console.Out.WriteLine($"{schedules.Count} schedule(s).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var name = NameArgument();
        var command = new Command("show", "One schedule in full: definition, policies, arguments, next and last run, skipped occurrences.") { name };
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var target = ParseName(parse.GetValue(name));
            var view = ScheduleView.From(await session.Schedules.GetAsync(target, ct).ConfigureAwait(false) ?? throw Unknown(target));
            if (session.Json)
            {
                CommandRunner.WriteJson(view, CliJsonContext.Default.ScheduleView);
                return ExitCodes.Ok;
            }

            var o = Console.Out;
            o.WriteLine($"name        {view.Name}{(view.Paused ? "   PAUSED" : string.Empty)}");
            o.WriteLine($"job         {view.JobName}   queue {view.Queue}   priority {view.Priority}   max retries {view.MaxRetries}{(view.Timeout is { } t ? "   timeout " + t : string.Empty)}");
            o.WriteLine($"cron        {view.Cron}   time zone {view.TimeZone}");
            o.WriteLine($"arguments   {view.Arguments?.GetRawText() ?? "-"}");
            o.WriteLine($"policies    misfire {view.Misfire}{(view.Misfire == MisfirePolicy.RunAll ? $" (max catch-up {view.MaxCatchUp})" : string.Empty)}   overlap {view.Overlap}");
            o.WriteLine($"origin      {(view.DeclaredBy is { } app ? "declared by " + app : "dynamic (created at run time)")}");
            o.WriteLine($"next run    {(view.Paused ? "- (paused)" : Time(view.NextDueAt))}");
            o.WriteLine($"last run    {Time(view.LastDueAt)}{(view.LastJobId is { } id ? $"   job {id}: {view.LastOutcome?.ToString() ?? "expired"}" : string.Empty)}");
            o.WriteLine($"skipped     {view.Skipped}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Pause()
    {
        var name = NameArgument();
        var command = new Command("pause", "Stop enqueueing a schedule's occurrences.") { name };
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var target = ParseName(parse.GetValue(name));
            if (!await session.Schedules.PauseAsync(target, ct).ConfigureAwait(false))
            {
                throw Unknown(target);
            }

            return Done(session, "pause", target, $"Paused schedule '{target}'.");
        });
        return command;
    }

    private static Command Resume()
    {
        var name = NameArgument();
        var command = new Command("resume", "Resume a paused schedule from its next occurrence after now (those missed while paused are not run).") { name };
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var target = ParseName(parse.GetValue(name));
            if (await session.Schedules.ResumeAsync(target, ct).ConfigureAwait(false))
            {
                var next = (await session.Schedules.GetAsync(target, ct).ConfigureAwait(false))?.NextDueAt;
                return Done(session, "resume", target, $"Resumed schedule '{target}': next run {Time(next)}.");
            }

            // Not resumed: unknown, or not paused (nothing to do).
            _ = await session.Schedules.GetAsync(target, ct).ConfigureAwait(false) ?? throw Unknown(target);
            return Done(session, "resume", target, $"Schedule '{target}' was not paused.", count: 0);
        });
        return command;
    }

    private static Command Delete()
    {
        var name = NameArgument();
        var command = new Command("delete", "Delete a schedule (a declared one is registered again when its app starts).") { name };
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var target = ParseName(parse.GetValue(name));
            if (!await session.Schedules.DeleteAsync(target, ct).ConfigureAwait(false))
            {
                throw Unknown(target);
            }

            return Done(session, "delete", target, $"Deleted schedule '{target}'.");
        });
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The schedule's name (as tq schedules list shows it)." };

    private static string ParseName(string? text)
        => JobNames.IsValidJobName(text) ? text
            : throw new CliException(ExitCodes.Usage, $"'{text}' is not a schedule name: use 1 to {JobNames.MaxLength} characters of A-Z, a-z, 0-9, '-', '_', '.' or ':'.");

    private static CliException Unknown(string name)
        => new(ExitCodes.NotFound, $"Schedule '{name}' does not exist (tq schedules list shows them).");

    private static int Done(StoreSession session, string action, string name, string message, long count = 1)
    {
        if (session.Json)
        {
            CommandRunner.WriteJson(new ScheduleActionView(action, name, count), CliJsonContext.Default.ScheduleActionView);
        }
        else
        {
            Console.Out.WriteLine(message);
        }

        return ExitCodes.Ok;
    }

    private static string Time(DateTimeOffset? at)
        => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}

/// <summary>A schedule as <c>--json</c> writes it: arguments inline as JSON.</summary>
internal sealed record ScheduleView(
    string Name,
    string JobName,
    string Queue,
    string Cron,
    string TimeZone,
    bool Paused,
    DateTimeOffset? NextDueAt,
    DateTimeOffset? LastDueAt,
    string? LastJobId,
    Storage.JobState? LastOutcome,
    MisfirePolicy Misfire,
    int MaxCatchUp,
    OverlapPolicy Overlap,
    Priority Priority,
    int MaxRetries,
    TimeSpan? Timeout,
    JsonElement? Arguments,
    string Origin,
    string? DeclaredBy,
    long Skipped)
{
    public static ScheduleView From(ScheduleInfo info)
    {
        var state = info.State;
        var s = state.Schedule;
        return new ScheduleView(
            s.Name, s.JobName, s.Queue, s.Cron, s.TimeZone, state.Paused, state.Paused ? null : state.NextDueAt, state.LastDueAt,
            state.LastJobId?.Value, info.LastOutcome, s.Misfire, s.MaxCatchUp, s.Overlap, s.Priority, s.MaxRetries, s.Timeout,
            JobView.ParseJson(s.Payload), s.DeclaredBy is null ? "dynamic" : "declared", s.DeclaredBy, state.Skipped);
    }
}

/// <summary>What a schedule action did, as <c>--json</c> writes it.</summary>
internal sealed record ScheduleActionView(string Action, string Name, long Count);
