using System.CommandLine;
using TaskQueue.Cli.Output;

namespace TaskQueue.Cli.Commands;

/// <summary><c>tq workers</c>.</summary>
internal static class WorkerCommands
{
    public static Command Workers()
    {
        var command = new Command("workers", "The live worker processes: host, pid, queues, concurrency, running jobs, started, last heartbeat.");
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var workers = await session.Admin.ListWorkersAsync(ct).ConfigureAwait(false);
            if (session.Json)
            {
                CommandRunner.WriteJson(workers, CliJsonContext.Default.IReadOnlyListWorkerInfo);
                return ExitCodes.Ok;
            }

            var table = new TableWriter("id", "host", "pid", "queues", "concurrency", "running", "started", "last seen");
            foreach (var w in workers)
            {
                table.Add(w.Id, w.Host, w.ProcessId, string.Join(',', w.Queues), w.Concurrency, w.RunningJobs, w.StartedAt, w.LastSeen);
            }

            table.WriteTo(Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }
}
