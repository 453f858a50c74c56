using System.CommandLine;
using TaskQueue.Admin;
using TaskQueue.Cli.Output;

namespace TaskQueue.Cli.Commands;

/// <summary><c>tq dlq list|requeue|delete</c>: one dead letter by id, a filtered set, or <c>--all</c>.</summary>
internal static class DeadLetterCommands
{
    public static Command DeadLetters() => new("dlq", "List, requeue and delete dead letters.")
    {
        List(),
        Bulk("requeue", "Move dead letters back to ready with a fresh attempt count: one by id, those matching --job/--error, or --all.",
            (admin, q, id, ct) => admin.RequeueDeadLetterAsync(q, id, ct), (admin, q, f, ct) => admin.RequeueDeadLettersAsync(q, f, ct), "Requeued"),
        Bulk("delete", "Delete dead letters: one by id, those matching --job/--error, or --all.",
            (admin, q, id, ct) => admin.DeleteDeadLetterAsync(q, id, ct), (admin, q, f, ct) => admin.DeleteDeadLettersAsync(q, f, ct), "Deleted"),
    };

    private static Command List()
    {
        var queue = CommonOptions.Queue();
        var offset = CommonOptions.Offset();
        var count = CommonOptions.Count();
        var command = new Command("list", "A page of dead letters, most recent first.") { queue, offset, count };
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var q = parse.GetValue(queue)!;
            var page = await session.Admin.ListJobsAsync(q, JobListState.Dead, parse.GetValue(offset), parse.GetValue(count), ct).ConfigureAwait(false);
            JobCommands.WritePage(session, q, "dead", page);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Bulk(
        string name,
        string description,
        Func<IJobAdmin, string, JobId, CancellationToken, ValueTask<bool>> one,
        Func<IJobAdmin, string, DeadLetterFilter, CancellationToken, ValueTask<long>> many,
        string done)
    {
        var queue = CommonOptions.Queue();
        var id = new Argument<string?>("id") { Description = "One dead letter's id (or use --job, --error or --all).", Arity = ArgumentArity.ZeroOrOne };
        var job = new Option<string?>("--job") { Description = "Only dead letters of this job name." };
        var error = new Option<string?>("--error") { Description = "Only dead letters whose last error contains this text." };
        var all = new Option<bool>("--all") { Description = "Every dead letter of the queue." };
        var command = new Command(name, description) { id, queue, job, error, all };
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var q = parse.GetValue(queue)!;
            var idText = parse.GetValue(id);
            var filter = new DeadLetterFilter { JobName = parse.GetValue(job), ErrorContains = parse.GetValue(error) };
            var filtered = filter.JobName is not null || filter.ErrorContains is not null;
            var everything = parse.GetValue(all);
            if ((idText is not null ? 1 : 0) + (filtered ? 1 : 0) + (everything ? 1 : 0) != 1)
            {
                throw new CliException(ExitCodes.Usage, $"tq dlq {name}: give exactly one of an id, --job/--error, or --all.");
            }

            long count;
            if (idText is not null)
            {
                var jobId = CommandRunner.ParseId(idText);
                if (!await one(session.Admin, q, jobId, ct).ConfigureAwait(false))
                {
                    throw new CliException(ExitCodes.NotFound, $"Job {jobId} is not a dead letter of queue '{q}'; nothing was changed.");
                }

                count = 1;
            }
            else
            {
                count = await many(session.Admin, q, everything ? DeadLetterFilter.All : filter, ct).ConfigureAwait(false);
            }

            if (session.Json)
            {
                CommandRunner.WriteJson(new ActionView(name, q, idText, count), CliJsonContext.Default.ActionView);
            }
            else
            {
                Console.Out.WriteLine($"{done} {count} dead letter(s) of queue '{q}'.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
