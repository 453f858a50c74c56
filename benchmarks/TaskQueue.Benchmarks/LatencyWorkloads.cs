using System.Diagnostics;
using System.Globalization;
using TaskQueue.Client;

namespace TaskQueue.Benchmarks;

/// <summary>
/// Pickup latency: a producer in another process (this harness started with <c>produce</c>) enqueues
/// <c>Stamp</c> jobs carrying <see cref="Stopwatch.GetTimestamp"/> (CLOCK_MONOTONIC, shared by processes on one
/// Linux machine); the worker here records the time from just before the enqueue call to the handler start.
/// </summary>
internal static class LatencyWorkloads
{
    public const string Queue = "latency";

    /// <summary>Open loop at <c>--rate</c> jobs/s for <c>--seconds</c>.</summary>
    public static Task<RunResult> PickupAsync(BenchContext context)
    {
        var jobs = context.Options.Rate * context.Options.Seconds;
        return RunWithProducerAsync(context, jobs, $"produce --rate {context.Options.Rate} --jobs {jobs}");
    }

    /// <summary>Single jobs, each after 5 s of idleness (the worker is waiting for work, not busy).</summary>
    public static Task<RunResult> IdleStartAsync(BenchContext context)
    {
        var jobs = context.JobsOr(10);
        return RunWithProducerAsync(context, jobs, $"produce-idle --jobs {jobs} --seconds 5");
    }

    /// <summary>The producer child: <c>produce --port P --rate R --jobs N</c> or <c>produce-idle --port P --jobs N --seconds S</c>.</summary>
    public static async Task<int> ProduceAsync(BenchOptions options)
    {
        await using var store = await TaskQueueWorkloads.ConnectAsync("127.0.0.1:" + options.Port!.Value.ToString(CultureInfo.InvariantCulture), options.DedicatedIoThreads);
        var client = new JobClient(store);
        var jobs = options.Jobs ?? 1000;

        // Warm the enqueue path (JIT, scripts loaded) into a queue nobody serves, so the first stamps measure the queue, not the JIT.
        for (var i = 0; i < 200; i++)
        {
            await Jobs.Noop.EnqueueAsync(client, -1);
        }

        // The harness starts measuring (Redis counters, time) only now: warm-up and process start are not the workload's.
        Console.WriteLine("warm");
        if (Console.ReadLine() != "go")
        {
            return 1;
        }

        if (options.Workload == "produce-idle")
        {
            for (var i = 0; i < jobs; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
                await Jobs.Stamp.EnqueueAsync(client, i, Stopwatch.GetTimestamp());
            }

            return 0;
        }

        // Open loop: job i is due at i/rate s after start; sending never waits for earlier enqueues to finish.
        var pending = new List<Task>(jobs);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < jobs; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / options.Rate);
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(0, (due - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency) >= 1 ? 1 : 0));
            }

            pending.Add(Jobs.Stamp.EnqueueAsync(client, i, Stopwatch.GetTimestamp()).AsTask());
        }

        await Task.WhenAll(pending);
        return 0;
    }

    private static async Task<RunResult> RunWithProducerAsync(BenchContext context, int jobs, string producerArguments)
    {
        await using var store = await TaskQueueWorkloads.ConnectAsync(context);
        DeliveryLedger.Reset(jobs);
        LatencyRecorder.Reset();
        using var stop = new CancellationTokenSource();
        var worker = TaskQueueWorkloads.CreateWorker(store, Queue, context.Options.Concurrency ?? 10);
        var running = worker.RunAsync(stop.Token);

        using var producer = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, SelfArguments() + " " + producerArguments + " --port " + context.Server.Port.ToString(CultureInfo.InvariantCulture) + (context.Options.DedicatedIoThreads ? " --dedicated-io" : string.Empty))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        if (await producer.StandardOutput.ReadLineAsync() != "warm")
        {
            throw new InvalidOperationException("The producer process did not get ready.");
        }

        // Let the worker reach its idle wait (and take the warm-up jobs' signal) before the producer starts.
        await Task.Delay(500);
        return await Workloads.MeasureAsync(context, jobs,
            async () =>
            {
                await producer.StandardInput.WriteLineAsync("go");
                await producer.StandardInput.FlushAsync();
                await producer.WaitForExitAsync();
                if (producer.ExitCode != 0)
                {
                    throw new InvalidOperationException($"The producer process failed with exit code {producer.ExitCode}.");
                }

                if (!await DeliveryLedger.WaitForAsync(TimeSpan.FromMinutes(1)))
                {
                    Console.Error.WriteLine($"latency: only {DeliveryLedger.Processed} of {jobs} jobs ran");
                }
            },
            async () =>
            {
                await stop.CancelAsync();
                await running;
                return DeliveryLedger.Check();
            },
            LatencyRecorder.Percentiles);
    }

    /// <summary><c>dotnet path/TaskQueue.Benchmarks.dll</c> or the apphost itself.</summary>
    private static string SelfArguments()
    {
        var host = Path.GetFileNameWithoutExtension(Environment.ProcessPath!);
        return host == "dotnet" ? "\"" + typeof(LatencyWorkloads).Assembly.Location + "\"" : string.Empty;
    }
}
