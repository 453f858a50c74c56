using System.Diagnostics;
using System.Globalization;
using System.Text;
using TaskQueue.IntegrationTests;

namespace TaskQueue.FaultTests;

/// <summary>
/// The sample worker (<c>samples/Worker</c>) as a separate process in fault-drill mode: it serves the
/// <c>fault-drill</c> queue and records each finished run in the ledger's Redis. Signals go to this process only, by PID.
/// </summary>
internal sealed class DrillWorker : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DrillWorker(Process process, int concurrency)
    {
        _process = process;
        Concurrency = concurrency;
    }

    /// <summary>The PID (kept after the process is gone, for reports).</summary>
    public int Id { get; private set; }

    public int Concurrency { get; }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a worker with short leases (<paramref name="leaseSeconds"/>; heartbeat and recovery every 0.5 s) so a
    /// killed worker's jobs come back within seconds, and waits until it has started.
    /// </summary>
    public static async Task<DrillWorker> StartAsync(string storeConnection, string ledgerConnection, int concurrency, double leaseSeconds, IReadOnlyList<string> queues)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            RepositoryPaths.SampleDll("Worker", "TaskQueue.SampleWorker.dll"),
            "--redis", storeConnection,
            "--fault-drill", ledgerConnection,
            string.Create(CultureInfo.InvariantCulture, $"--TaskQueue:Worker:Concurrency={concurrency}"),
            string.Create(CultureInfo.InvariantCulture, $"--TaskQueue:Worker:LeaseDuration={TimeSpan.FromSeconds(leaseSeconds):c}"),
            "--TaskQueue:Worker:HeartbeatInterval=00:00:00.500",
            "--TaskQueue:Worker:RecoveryInterval=00:00:00.500",
            "--TaskQueue:Worker:PollInterval=00:00:00.200",
            "--TaskQueue:Worker:ShutdownDrainTime=00:00:01",
        ];
        foreach (var argument in arguments.Concat(queues.Select(static (q, i) => string.Create(CultureInfo.InvariantCulture, $"--TaskQueue:Worker:Queues:{i}={q}"))))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var worker = new DrillWorker(new Process { StartInfo = start }, concurrency);
        worker._process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        worker._process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        worker._process.Start();
        worker.Id = worker._process.Id;
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        var started = await Task.WhenAny(worker._started.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != worker._started.Task)
        {
            worker.Dispose();
            throw new TimeoutException("The worker process did not start within 60 s:\n" + worker.Output);
        }

        return worker;
    }

    /// <summary>SIGKILL: no shutdown, no lease release, no completion flush.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(10_000);
    }

    /// <summary>SIGSTOP: the process freezes (timers, heartbeats and handlers alike) until <see cref="Continue"/>.</summary>
    public void Suspend() => Signal("-STOP");

    /// <summary>SIGCONT after <see cref="Suspend"/>.</summary>
    public void Continue() => Signal("-CONT");

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard(); // SIGKILL ends a stopped process too.
        }

        _process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, Id.ToString(CultureInfo.InvariantCulture)]);
        if (!kill.WaitForExit(10_000) || kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {Id} failed.");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("worker started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }
}
