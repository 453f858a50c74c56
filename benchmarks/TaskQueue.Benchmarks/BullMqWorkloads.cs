using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace TaskQueue.Benchmarks;

/// <summary>
/// The BullMQ peer: node scripts in <c>benchmarks/peers/bullmq</c> (producer and worker in separate processes,
/// auto-pipelining off). Times and client figures come from the node processes; Redis figures from here.
/// </summary>
internal static class BullMqWorkloads
{
    public static Task<RunResult> AddSerialAsync(BenchContext context) => AddAsync(context, "serial", context.JobsOr(20_000));

    public static Task<RunResult> AddConcurrentAsync(BenchContext context) => AddAsync(context, "concurrent", context.JobsOr(50_000));

    public static Task<RunResult> AddBulkAsync(BenchContext context) => AddAsync(context, "bulk", context.JobsOr(200_000));

    public static async Task<RunResult> DrainAsync(BenchContext context)
    {
        var jobs = context.JobsOr(100_000);
        await RunProducerAsync(context, $"--mode bulk --jobs {jobs}");
        return await MeasureAsync(context, jobs, async () =>
        {
            using var worker = new NodeProcess(context, "worker.js", $"--queue bench --jobs {jobs} --concurrency {context.Options.Concurrency ?? 100}");
            await worker.WaitForLineAsync("ready");
            return await worker.ResultAsync();
        }, _ => Task.FromResult<(int, int)?>(null));
    }

    public static async Task<RunResult> LatencyAsync(BenchContext context)
    {
        var jobs = context.Options.Rate * context.Options.Seconds;
        return await MeasureAsync(context, jobs, async () =>
        {
            using var worker = new NodeProcess(context, "worker.js", $"--queue latency --jobs {jobs} --concurrency {context.Options.Concurrency ?? 10}");
            await worker.WaitForLineAsync("ready");
            await Task.Delay(500);
            using var producer = new NodeProcess(context, "producer.js", $"--mode latency --jobs {jobs} --rate {context.Options.Rate}");
            await producer.ResultAsync();
            return await worker.ResultAsync();
        }, _ => Task.FromResult<(int, int)?>(null));
    }

    /// <summary>
    /// Steady state: worker.js counts the jobs completed in <c>--seconds</c> from its first job while producer.js adds
    /// batches of 100 (or paces at <c>--rate</c>) for as long; Redis figures cover that window; then the worker drains the
    /// rest and checks every job the producer added ran exactly once.
    /// </summary>
    public static async Task<RunResult> SteadyAsync(BenchContext context)
    {
        var seconds = context.Options.SecondsOption ?? 30;
        var rate = context.Options.RateGiven ? $" --rate {context.Options.Rate}" : string.Empty;
        using var worker = new NodeProcess(context, "worker.js", $"--queue bench --jobs 8000000 --concurrency {context.Options.Concurrency ?? 100} --window {seconds}");
        await worker.WaitForLineAsync("ready");
        var before = await context.Server.ReadCountersAsync();
        using var producer = new NodeProcess(context, "producer.js", $"--mode steady --seconds {seconds}{rate}");
        await worker.WaitForLineAsync("window-end");
        var after = await context.Server.ReadCountersAsync();
        var produced = await producer.ResultAsync();
        var result = await worker.ResultAsync();
        var completed = result.GetProperty("completed").GetInt32();
        return new RunResult
        {
            Jobs = completed,
            Seconds = result.GetProperty("windowSeconds").GetDouble(),
            Missing = result.GetProperty("missing").GetInt32(),
            Duplicates = result.GetProperty("duplicates").GetInt32(),
            Redis = after - before,
            ClientCpuSeconds = result.GetProperty("windowCpuSeconds").GetDouble() + produced.GetProperty("cpuSeconds").GetDouble(),
            PeakRssBytes = Math.Max(result.GetProperty("peakRssBytes").GetInt64(), produced.GetProperty("peakRssBytes").GetInt64()),
            Note = string.Create(CultureInfo.InvariantCulture,
                $"enqueued {produced.GetProperty("produced").GetInt32()} in the window ({produced.GetProperty("produced").GetInt32() / (double)seconds:0}/s{(rate.Length > 0 ? $", paced at {context.Options.Rate}/s" : ", as fast as possible")}); queue depth at the window's end {result.GetProperty("depthAtEnd").GetInt32()}"),
        };
    }

    /// <summary>
    /// Delayed burst: producer.js adds <c>--jobs</c> (default 10,000) jobs all due 2 s after its first add; worker.js records
    /// lateness. Time is from the producer's first add until the last job ran (both process.hrtime, CLOCK_MONOTONIC).
    /// </summary>
    public static async Task<RunResult> DelayedBurstAsync(BenchContext context)
    {
        var jobs = context.JobsOr(10_000);
        JsonElement produced = default;
        JsonElement worked = default;
        var result = await MeasureAsync(context, jobs, async () =>
        {
            using var worker = new NodeProcess(context, "worker.js", $"--queue delayed --jobs {jobs} --concurrency {context.Options.Concurrency ?? 100}");
            await worker.WaitForLineAsync("ready");
            await Task.Delay(500);
            using var producer = new NodeProcess(context, "producer.js", $"--mode delayed --queue delayed --jobs {jobs}");
            produced = await producer.ResultAsync();
            worked = await worker.ResultAsync();
            return worked;
        }, _ => Task.FromResult<(int, int)?>(null));
        static long Nanoseconds(JsonElement e, string name) => long.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
        return result with
        {
            Seconds = (Nanoseconds(worked, "lastRanAt") - Nanoseconds(produced, "startedAt")) / 1e9,
            Note = string.Create(CultureInfo.InvariantCulture, $"enqueued in {produced.GetProperty("seconds").GetDouble() * 1000:0} ms, due 2 s after the first add; least late {worked.GetProperty("leastLateMs").GetDouble():0.000} ms; started before due: {worked.GetProperty("early").GetInt32()}"),
        };
    }

    /// <summary>
    /// Failing jobs: a prefilled queue (default 100,000) with 3 retries after a fixed 50 ms; worker.js fails every 100th job's
    /// first attempt. Exact delivery: each job succeeded once, the failing 1% ran twice, the rest once.
    /// </summary>
    public static async Task<RunResult> FailingAsync(BenchContext context)
    {
        var jobs = context.JobsOr(100_000);
        await RunProducerAsync(context, $"--mode bulk --queue failing --jobs {jobs} --attempts 4 --backoff 50");
        JsonElement worked = default;
        var result = await MeasureAsync(context, jobs, async () =>
        {
            using var worker = new NodeProcess(context, "worker.js", $"--queue failing --jobs {jobs} --concurrency {context.Options.Concurrency ?? 100} --fail-every 100");
            await worker.WaitForLineAsync("ready");
            worked = await worker.ResultAsync();
            return worked;
        }, _ => Task.FromResult<(int, int)?>(null));
        return result with { Note = string.Create(CultureInfo.InvariantCulture, $"attempts {worked.GetProperty("attemptsMade").GetInt64()} for {jobs} jobs ({(jobs + 99) / 100} planned failures)") };
    }

    private static Task<RunResult> AddAsync(BenchContext context, string mode, int jobs)
        => MeasureAsync(context, jobs, () => RunProducerAsync(context, $"--mode {mode} --jobs {jobs} --concurrency {context.Options.Concurrency ?? 64}"), async _ =>
        {
            var waiting = await context.Server.Admin.GetDatabase().ListLengthAsync("bull:bench:wait");
            return ((int)Math.Max(0, jobs - waiting), (int)Math.Max(0, waiting - jobs));
        });

    private static async Task<JsonElement> RunProducerAsync(BenchContext context, string arguments)
    {
        using var producer = new NodeProcess(context, "producer.js", arguments);
        return await producer.ResultAsync();
    }

    private static async Task<RunResult> MeasureAsync(BenchContext context, int jobs, Func<Task<JsonElement>> body, Func<JsonElement, Task<(int Missing, int Duplicates)?>> check)
    {
        var before = await context.Server.ReadCountersAsync();
        var result = await body();
        var after = await context.Server.ReadCountersAsync();
        var (missing, duplicates) = await check(result) ?? (result.GetProperty("missing").GetInt32(), result.GetProperty("duplicates").GetInt32());
        return new RunResult
        {
            Jobs = jobs,
            Seconds = result.GetProperty("seconds").GetDouble(),
            Missing = missing,
            Duplicates = duplicates,
            Redis = after - before,
            ClientCpuSeconds = result.GetProperty("cpuSeconds").GetDouble(),
            PeakRssBytes = result.GetProperty("peakRssBytes").GetInt64(),
            LatencyMs = result.TryGetProperty("latencyMs", out var latency) && latency.ValueKind == JsonValueKind.Array
                ? [.. latency.EnumerateArray().Select(l => l.GetDouble())]
                : null,
        };
    }

    /// <summary>A node script of the peer, with its stdout read line by line; the last JSON line is its result.</summary>
    private sealed class NodeProcess : IDisposable
    {
        private readonly Process _process;
        private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

        public NodeProcess(BenchContext context, string script, string arguments)
        {
            var directory = Path.Combine(BenchContext.RepositoryRoot, "benchmarks", "peers", "bullmq");
            if (!Directory.Exists(Path.Combine(directory, "node_modules", "bullmq")))
            {
                throw new InvalidOperationException($"BullMQ is not installed: run 'npm ci' (or 'npm install') in {directory}, or benchmarks/run-all.sh.");
            }

            _process = Process.Start(new ProcessStartInfo("node", $"{script} --port {context.Server.Port.ToString(CultureInfo.InvariantCulture)} {arguments}")
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("node did not start; install Node.js.");
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    _lines.Writer.TryComplete();
                }
                else
                {
                    _lines.Writer.TryWrite(e.Data);
                }
            };
            _process.BeginOutputReadLine();
        }

        public async Task WaitForLineAsync(string expected)
        {
            await foreach (var line in _lines.Reader.ReadAllAsync())
            {
                if (line == expected)
                {
                    return;
                }
            }

            throw new InvalidOperationException($"The BullMQ process ended before printing '{expected}' (exit code {(_process.HasExited ? _process.ExitCode : -1)}).");
        }

        public async Task<JsonElement> ResultAsync()
        {
            string? last = null;
            await foreach (var line in _lines.Reader.ReadAllAsync())
            {
                if (line.StartsWith('{'))
                {
                    last = line;
                }
            }

            await _process.WaitForExitAsync();
            if (_process.ExitCode != 0 || last is null)
            {
                throw new InvalidOperationException($"The BullMQ process failed (exit code {_process.ExitCode}).");
            }

            return JsonDocument.Parse(last).RootElement.Clone();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
