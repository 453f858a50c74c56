using System.CommandLine;
using TaskQueue.Admin;
using TaskQueue.Cli.Output;
using TaskQueue.Storage;

namespace TaskQueue.Cli.Commands;

/// <summary><c>tq jobs list|show|cancel|delete|retry</c>.</summary>
internal static class JobCommands
{
    private static readonly string[] s_states = ["pending", "scheduled", "running", "retrying", "dead", "succeeded", "cancelled"];

    public static Command Jobs() => new("jobs", "List, show and act on jobs.")
    {
        List(),
        Show(),
        Action("cancel", "Cancel a pending, scheduled, retrying or running job (a running handler's token fires).", (admin, q, id, ct) => admin.CancelAsync(q, id, ct), "Cancelled", "is unknown or already finished"),
        Action("delete", "Delete a job in any state (a running one is cancelled first).", (admin, q, id, ct) => admin.DeleteJobAsync(q, id, ct), "Deleted", "is unknown"),
        Action("retry", "Run a scheduled or retrying job now.", (admin, q, id, ct) => admin.RunNowAsync(q, id, ct), "Made ready", "is not scheduled or retrying"),
    };

    /// <summary>The jobs of a page as the table of <c>tq jobs list</c> and <c>tq dlq list</c>.</summary>
    public static void WritePage(StoreSession session, string queue, string state, JobPage page)
    {
        if (session.Json)
        {
            CommandRunner.WriteJson(new JobPageView(queue, state, page.Total, page.Offset, [.. page.Jobs.Select(JobView.From)]), CliJsonContext.Default.JobPageView);
            return;
        }

        var table = new TableWriter("id", "name", "priority", "attempt", "enqueued", "due/finished", "last error");
        foreach (var job in page.Jobs)
        {
            table.Add(job.Id, job.Name, job.Priority, $"{job.Attempt}/{job.MaxRetries + 1}", job.EnqueuedAt, job.DueAt ?? job.FinishedAt, job.LastError);
        }

        table.WriteTo(Console.Out);
        Console.Out.WriteLine($"{page.Jobs.Count} of {page.Total} {state} job(s) in '{queue}' from offset {page.Offset}.");
    }

    /// <summary>The state names <c>--state</c> accepts, as <see cref="JobListState"/>.</summary>
    public static JobListState ParseState(string name) => name switch
    {
        "pending" => JobListState.Pending,
        "scheduled" => JobListState.Scheduled,
        "running" => JobListState.Running,
        "retrying" => JobListState.Retrying,
        "dead" => JobListState.Dead,
        "succeeded" => JobListState.Succeeded,
        "cancelled" => JobListState.Cancelled,
        _ => throw new CliException(ExitCodes.Usage, $"'{name}' is not a state: use one of {string.Join(", ", s_states)}."),
    };

    private static Command List()
    {
        var queue = CommonOptions.Queue();
        var state = new Option<string>("--state", "-s") { Description = "The state: " + string.Join("|", s_states) + ".", DefaultValueFactory = _ => "pending" };
        state.AcceptOnlyFromAmong(s_states);
        var offset = CommonOptions.Offset();
        var count = CommonOptions.Count();
        var command = new Command("list", "A page of a queue's jobs in one state, in the order that state is worked through.") { queue, state, offset, count };
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var q = parse.GetValue(queue)!;
            var s = parse.GetValue(state)!;
            var page = await session.Admin.ListJobsAsync(q, ParseState(s), parse.GetValue(offset), parse.GetValue(count), ct).ConfigureAwait(false);
            WritePage(session, q, s, page);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var queue = CommonOptions.Queue();
        var id = CommonOptions.Id();
        var command = new Command("show", "One job in full: arguments, state, attempts with their errors, progress, result, worker.") { id, queue };
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var q = parse.GetValue(queue)!;
            var jobId = CommandRunner.ParseId(parse.GetValue(id));
            var job = await session.Admin.GetJobAsync(q, jobId, ct).ConfigureAwait(false)
                ?? throw new CliException(ExitCodes.NotFound, $"Job {jobId} does not exist in queue '{q}' (or its retention passed).");
            var view = JobView.From(job);
            if (session.Json)
            {
                CommandRunner.WriteJson(view, CliJsonContext.Default.JobView);
                return ExitCodes.Ok;
            }

            var o = Console.Out;
            o.WriteLine($"id          {view.Id}");
            o.WriteLine($"name        {view.Name}");
            o.WriteLine($"queue       {view.Queue}   priority {view.Priority}");
            o.WriteLine($"state       {view.State}   attempt {view.Attempt} of {view.MaxRetries + 1}{(view.Deferrals > 0 ? $"   deferred {view.Deferrals}x" : string.Empty)}");
            o.WriteLine($"arguments   {view.Arguments?.GetRawText() ?? "-"}");
            o.WriteLine($"enqueued    {Time(view.EnqueuedAt)}{(view.DueAt is { } due ? "   due " + Time(due) : string.Empty)}{(view.FinishedAt is { } fin ? "   finished " + Time(fin) : string.Empty)}");
            if (view.WorkerId is not null)
            {
                o.WriteLine($"running on  {view.WorkerId} since {Time(view.StartedAt)}, lease until {Time(view.LeaseExpiresAt)}");
            }

            if (view.Progress is { } progress)
            {
                o.WriteLine($"progress    {progress:0.#}%");
            }

            if (view.Result is { } result)
            {
                o.WriteLine($"result      {result.GetRawText()}");
            }

            if (view.IdempotencyKey is not null)
            {
                o.WriteLine($"idempotency {view.IdempotencyKey}");
            }

            foreach (var error in view.Errors)
            {
                o.WriteLine();
                o.WriteLine($"attempt {error.Attempt} failed at {Time(error.FailedAt)}:");
                o.WriteLine(error.Error);
            }

            if (view.Errors.Count == 0 && view.LastError is not null)
            {
                o.WriteLine();
                o.WriteLine("last error:");
                o.WriteLine(view.LastError);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Action(string name, string description, Func<IJobAdmin, string, JobId, CancellationToken, ValueTask<bool>> act, string done, string refused)
    {
        var queue = CommonOptions.Queue();
        var id = CommonOptions.Id();
        var command = new Command(name, description) { id, queue };
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var q = parse.GetValue(queue)!;
            var jobId = CommandRunner.ParseId(parse.GetValue(id));
            if (!await act(session.Admin, q, jobId, ct).ConfigureAwait(false))
            {
                throw new CliException(ExitCodes.NotFound, $"Job {jobId} in queue '{q}' {refused}; nothing was changed.");
            }

            if (session.Json)
            {
                CommandRunner.WriteJson(new ActionView(name, q, jobId.Value, 1), CliJsonContext.Default.ActionView);
            }
            else
            {
                Console.Out.WriteLine($"{done} job {jobId} in queue '{q}'.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Time(DateTimeOffset? at)
        => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
