using System.Diagnostics;
using System.Text;

namespace TaskQueue.IntegrationTests;

/// <summary>The sample worker (<c>samples/Worker</c>) running as a separate process, for fault tests.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

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

    /// <summary>The JIT build of the sample worker next to this test build (same configuration).</summary>
    public static string SampleWorkerDll => RepositoryPaths.SampleDll("Worker", "TaskQueue.SampleWorker.dll");

    /// <summary>Starts a worker on Redis serving <paramref name="queue"/> with short leases, and waits until it has started.</summary>
    public static async Task<WorkerProcess> StartAsync(string redisConnection, string queue, params string[] extraArguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            SampleWorkerDll,
            "--redis", redisConnection,
            $"--TaskQueue:Worker:Queues:0={queue}",
            "--TaskQueue:Worker:LeaseDuration=00:00:02",
            "--TaskQueue:Worker:HeartbeatInterval=00:00:00.500",
            "--TaskQueue:Worker:RecoveryInterval=00:00:00.500",
            "--TaskQueue:Worker:PollInterval=00:00:00.200",
            "--TaskQueue:Worker:ShutdownDrainTime=00:00:01",
            .. extraArguments,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var worker = new WorkerProcess(new Process { StartInfo = start });
        worker._process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        worker._process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        worker._process.Start();
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        var started = await Task.WhenAny(worker._started.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        if (started != worker._started.Task)
        {
            worker.Dispose();
            throw new TimeoutException("The worker process did not start within 30 s:\n" + worker.Output);
        }

        return worker;
    }

    /// <summary>SIGTERM: the host shuts down gracefully (drains, releases, flushes); waits for the process to exit.</summary>
    public void StopGracefully()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit(10_000);
        }

        if (!_process.WaitForExit(20_000))
        {
            throw new TimeoutException("The worker process did not stop within 20 s of SIGTERM:\n" + Output);
        }
    }

    /// <summary>SIGKILL: no shutdown, no lease release, no completion flush.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
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
