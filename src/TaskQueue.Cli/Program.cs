using System.CommandLine;
using TaskQueue.Cli;
using TaskQueue.Cli.Commands;

// tq: the TaskQueue operator's command line. Every command connects to Redis from --redis / $TASKQUEUE_REDIS,
// prints a table (or JSON with --json) and exits with a code from ExitCodes.
var root = new RootCommand("tq: see and act on TaskQueue jobs in Redis.")
{
    GlobalOptions.Redis,
    GlobalOptions.Prefix,
    GlobalOptions.Json,
    GlobalOptions.Timeout,
    QueueCommands.Stats(),
    QueueCommands.Queues(),
    JobCommands.Jobs(),
    DeadLetterCommands.DeadLetters(),
    QueueCommands.Pause(),
    QueueCommands.Resume(),
    ScheduleCommands.Schedules(),
    WorkerCommands.Workers(),
    EnqueueCommand.Enqueue(),
    WatchCommand.Watch(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine("tq: " + error.Message);
    }

    Console.Error.WriteLine("Run 'tq --help' for the commands and options.");
    return ExitCodes.Usage;
}

return await parse.InvokeAsync();
