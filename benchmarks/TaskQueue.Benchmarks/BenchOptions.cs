using System.Globalization;

namespace TaskQueue.Benchmarks;

/// <summary>Command line of the harness: <c>&lt;workload&gt; [--runs N] [--jobs N] [--concurrency N] [--rate N] [--seconds N] [--aof] [--telemetry] [--results FILE]</c>.</summary>
internal sealed class BenchOptions
{
    public required string Workload { get; init; }

    /// <summary>Measured runs after the one warm-up run.</summary>
    public int Runs { get; init; } = 5;

    /// <summary>Jobs per run; null means the workload's own default.</summary>
    public int? Jobs { get; init; }

    /// <summary>Jobs in flight (add-concurrent) or handler slots (drain).</summary>
    public int? Concurrency { get; init; }

    /// <summary>Jobs per second of the open-loop producer.</summary>
    public int Rate { get; init; } = 1000;

    /// <summary>Whether <c>--rate</c> was given (steady state then paces its producer instead of sending as fast as it can).</summary>
    public bool RateGiven { get; init; }

    /// <summary><c>--seconds</c> as given; null means the workload's own default (latency: 5, steady state: 30).</summary>
    public int? SecondsOption { get; init; }

    /// <summary>Seconds of an open-loop latency run (default 5).</summary>
    public int Seconds => SecondsOption ?? 5;

    /// <summary>Run redis-server with <c>appendonly yes, appendfsync everysec</c>.</summary>
    public bool AppendOnly { get; init; }

    /// <summary>A TSV file one summary line per workload is appended to (read by run-all.sh).</summary>
    public string? ResultsFile { get; init; }

    /// <summary>
    /// Measures <see cref="TaskQueue.Redis.RedisJobStoreOptions.DedicatedIoThreads"/> = true: StackExchange.Redis's own
    /// reply threads instead of the thread pool (the default).
    /// </summary>
    public bool DedicatedIoThreads { get; init; }

    /// <summary>Attach an ActivityListener and a MeterListener that record every TaskQueue span and measurement.</summary>
    public bool Telemetry { get; init; }

    /// <summary>An already running redis-server port (skips starting one); used by the producer child process.</summary>
    public int? Port { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException("Usage: TaskQueue.Benchmarks <workload> [--runs N] [--jobs N] [--concurrency N] [--rate N] [--seconds N] [--aof] [--dedicated-io] [--telemetry] [--results FILE]. Workloads: " + string.Join(", ", Workloads.Names));
        }

        int? runs = null, jobs = null, concurrency = null, rate = null, seconds = null, port = null;
        var aof = false;
        var dedicatedIo = false;
        var telemetry = false;
        string? results = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs": runs = Number(args, ref i); break;
                case "--jobs": jobs = Number(args, ref i); break;
                case "--concurrency": concurrency = Number(args, ref i); break;
                case "--rate": rate = Number(args, ref i); break;
                case "--seconds": seconds = Number(args, ref i); break;
                case "--port": port = Number(args, ref i); break;
                case "--aof": aof = true; break;
                case "--dedicated-io": dedicatedIo = true; break;
                case "--telemetry": telemetry = true; break;
                case "--results": results = Value(args, ref i); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        return new BenchOptions
        {
            Workload = args[0],
            Runs = runs ?? 5,
            Jobs = jobs,
            Concurrency = concurrency,
            Rate = rate ?? 1000,
            RateGiven = rate is not null,
            SecondsOption = seconds,
            AppendOnly = aof,
            DedicatedIoThreads = dedicatedIo,
            Telemetry = telemetry,
            ResultsFile = results,
            Port = port,
        };
    }

    private static string Value(string[] args, ref int i)
        => ++i < args.Length ? args[i] : throw new ArgumentException($"Option '{args[i - 1]}' needs a value.");

    private static int Number(string[] args, ref int i)
    {
        var text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"Option '{args[i - 1]}' needs a positive number, but was '{text}'.");
    }
}
