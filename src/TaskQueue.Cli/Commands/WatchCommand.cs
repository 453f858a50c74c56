using System.CommandLine;
using System.Diagnostics;
using TaskQueue.Storage;

namespace TaskQueue.Cli.Commands;

/// <summary><c>tq watch</c>: the queue table redrawn every interval, with processed and failed attempts per second.</summary>
internal static class WatchCommand
{
    public static Command Watch()
    {
        var interval = new Option<double>("--interval", "-i") { Description = "Seconds between refreshes.", DefaultValueFactory = _ => 2 };
        var iterations = new Option<int>("--iterations") { Description = "Stop after this many refreshes (0: until Ctrl+C).", DefaultValueFactory = _ => 0 };
        var command = new Command("watch", "A live view of every queue, refreshed until Ctrl+C.") { interval, iterations };
        command.SetStoreAction(async (parse, session, ct) =>
        {
            var every = TimeSpan.FromSeconds(Math.Max(0.2, parse.GetValue(interval)));
            var limit = parse.GetValue(iterations);
            var clear = !Console.IsOutputRedirected;
            Dictionary<string, QueueStats>? previous = null;
            var clock = Stopwatch.StartNew();
            for (var round = 1; limit == 0 || round <= limit; round++)
            {
                var queues = await session.Admin.ListQueuesAsync(ct).ConfigureAwait(false);
                var workers = await session.Admin.ListWorkersAsync(ct).ConfigureAwait(false);
                var seconds = Math.Max(0.001, clock.Elapsed.TotalSeconds);
                clock.Restart();
                if (clear)
                {
                    // Home and clear: redraw in place.
                    Console.Out.Write("\u001b[H\u001b[2J");
                }

                Console.Out.WriteLine($"tq watch  {session.Endpoint}  {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC  workers {workers.Count}  running {workers.Sum(w => w.RunningJobs)}");
                Console.Out.WriteLine(Rate(queues, previous, seconds));
                Console.Out.WriteLine();
                QueueCommands.QueueTable(queues).WriteTo(Console.Out);
                previous = queues.ToDictionary(q => q.Queue);
                if (limit == 0 || round < limit)
                {
                    await Task.Delay(every, ct).ConfigureAwait(false);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Attempts per second since the last refresh, from the daily counters (blank on the first round).</summary>
    private static string Rate(IReadOnlyList<QueueStats> queues, Dictionary<string, QueueStats>? previous, double seconds)
    {
        if (previous is null)
        {
            return "processed -/s  failed -/s";
        }

        long processed = 0;
        long failed = 0;
        foreach (var q in queues)
        {
            if (previous.TryGetValue(q.Queue, out var before))
            {
                // A counter that went down rolled over to a new UTC day.
                processed += Math.Max(0, q.ProcessedToday - before.ProcessedToday);
                failed += Math.Max(0, q.FailedToday - before.FailedToday);
            }
        }

        return FormattableString.Invariant($"processed {processed / seconds:0.#}/s  failed {failed / seconds:0.#}/s");
    }
}
