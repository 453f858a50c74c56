using System.CommandLine;
using TaskQueue.Admin;
using TaskQueue.Cli.Output;
using TaskQueue.Storage;

namespace TaskQueue.Cli.Commands;

/// <summary><c>tq stats</c>, <c>tq queues</c>, <c>tq pause</c>, <c>tq resume</c>.</summary>
internal static class QueueCommands
{
    public static Command Stats()
    {
        var command = new Command("stats", "Totals over every queue: jobs by state, today's processed and failed attempts, live workers.");
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var queues = await session.Admin.ListQueuesAsync(ct).ConfigureAwait(false);
            var workers = await session.Admin.ListWorkersAsync(ct).ConfigureAwait(false);
            var stats = new StatsView(
                queues, queues.Sum(q => q.Pending), queues.Sum(q => q.Scheduled), queues.Sum(q => q.Retrying), queues.Sum(q => q.Active),
                queues.Sum(q => q.Dead), queues.Sum(q => q.ProcessedToday), queues.Sum(q => q.FailedToday), workers.Count);
            if (session.Json)
            {
                CommandRunner.WriteJson(stats, CliJsonContext.Default.StatsView);
                return ExitCodes.Ok;
            }

            var table = new TableWriter("pending", "scheduled", "retrying", "running", "dead", "processed today", "failed today", "queues", "workers");
            table.Add(stats.Pending, stats.Scheduled, stats.Retrying, stats.Running, stats.Dead, stats.ProcessedToday, stats.FailedToday, queues.Count, stats.Workers);
            table.WriteTo(Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Queues()
    {
        var command = new Command("queues", "Every queue with its jobs by state.");
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var queues = await session.Admin.ListQueuesAsync(ct).ConfigureAwait(false);
            if (session.Json)
            {
                CommandRunner.WriteJson(queues, CliJsonContext.Default.IReadOnlyListQueueStats);
                return ExitCodes.Ok;
            }

            QueueTable(queues).WriteTo(Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Pause() => PauseOrResume("pause", "Stop a queue handing out jobs (enqueue still works; running jobs finish).", pause: true);

    public static Command Resume() => PauseOrResume("resume", "Let a paused queue hand out jobs again.", pause: false);

    /// <summary>The queue table of <c>tq queues</c> and <c>tq watch</c>.</summary>
    public static TableWriter QueueTable(IReadOnlyList<QueueStats> queues)
    {
        var table = new TableWriter("queue", "pending", "scheduled", "retrying", "running", "dead", "processed today", "failed today", "paused");
        foreach (var q in queues)
        {
            table.Add(q.Queue, q.Pending, q.Scheduled, q.Retrying, q.Active, q.Dead, q.ProcessedToday, q.FailedToday, q.Paused);
        }

        return table;
    }

    private static Command PauseOrResume(string name, string description, bool pause)
    {
        var queue = new Argument<string>("queue") { Description = "The queue." };
        var command = new Command(name, description) { queue };
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var target = JobNames.ValidateQueueName(parse.GetValue(queue), "queue");
            if (pause)
            {
                await session.Admin.PauseAsync(target, ct).ConfigureAwait(false);
            }
            else
            {
                await session.Admin.ResumeAsync(target, ct).ConfigureAwait(false);
            }

            if (session.Json)
            {
                CommandRunner.WriteJson(new ActionView(name, target, null, 1), CliJsonContext.Default.ActionView);
            }
            else
            {
                Console.Out.WriteLine(pause ? $"Paused queue '{target}'." : $"Resumed queue '{target}'.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
