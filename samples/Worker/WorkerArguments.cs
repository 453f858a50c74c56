namespace SampleWorker;

/// <summary>The sample worker's command line: its own options, and configuration settings passed on to the host.</summary>
internal sealed record WorkerArguments(bool Help, int DemoJobs, string? Redis, string[] HostArguments, string? Error, string? FaultDrillLedger = null)
{
    public const string Usage =
        """
        usage: TaskQueue.SampleWorker [--demo N] [--redis CONNECTION] [--fault-drill LEDGER] [--Section:Key=value ...]

          (no options)         run until Ctrl+C on the in-memory store
          --demo N             enqueue N jobs, process them, print timings and exit
          --redis CONNECTION   use Redis: a StackExchange.Redis connection string, plus keyPrefix=...
          --fault-drill LEDGER the FaultDrill job records each run it finishes in the Redis LEDGER (a
                               StackExchange.Redis connection string; list fault-drill:done), for the fault suite
          --Section:Key=value  any configuration setting, e.g. --TaskQueue:Worker:Concurrency=8
          -h, --help           print this help and exit
        """;

    public static WorkerArguments Parse(string[] args)
    {
        var demoJobs = 0;
        string? redis = null;
        string? ledger = null;
        var hostArguments = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                return new(true, 0, null, [], null);
            }

            if (arg == "--demo")
            {
                if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out demoJobs) || demoJobs <= 0)
                {
                    return Failed("--demo needs a positive number of jobs.");
                }

                i++;
            }
            else if (arg == "--redis")
            {
                if (i + 1 >= args.Length)
                {
                    return Failed("--redis needs a connection string.");
                }

                redis = args[++i];
            }
            else if (arg == "--fault-drill")
            {
                if (i + 1 >= args.Length)
                {
                    return Failed("--fault-drill needs the ledger's Redis connection string.");
                }

                ledger = args[++i];
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) > 2)
            {
                // Only the --Key=value form goes to the host, so a mistyped option is an error rather than a silent setting.
                hostArguments.Add(arg);
            }
            else
            {
                return Failed($"unknown argument '{arg}'.");
            }
        }

        return new(false, demoJobs, redis, [.. hostArguments], null, ledger);
    }

    private static WorkerArguments Failed(string error) => new(false, 0, null, [], error);
}
