using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TaskQueue.TestSupport;

/// <summary>
/// A <c>redis-server</c> process of one test class with arguments of its own (<c>--requirepass</c>, <c>--aclfile</c>,
/// TLS...), on a free loopback port in a temp dir, without persistence. Unlike <see cref="RedisServerFixture"/> it
/// never uses <c>TASKQUEUE_TEST_REDIS</c> or a container: the test needs a server configured its way. Ready once the
/// server logs that it accepts connections (a PING would need the password or TLS); stopped by its PID on dispose.
/// A test may kill and restart it (<see cref="Kill"/>, <see cref="RestartAsync"/>), e.g. with <c>--appendonly yes</c>.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    /// <summary>How long <see cref="StartAsync"/> waits for the server to be ready.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    /// <summary>What a data server logs once it accepts connections (after loading its data set).</summary>
    private const string ServerReadyLine = "Ready to accept connections";

    /// <summary>What a sentinel logs once it listens and monitors its master (it never logs <see cref="ServerReadyLine"/>).</summary>
    private const string SentinelReadyLine = "+monitor master";

    private readonly ConcurrentQueue<string> _output;
    private readonly IReadOnlyList<string> _arguments;
    private readonly string _readyLine;
    private Process _process;

    private RedisServerProcess(Process process, ConcurrentQueue<string> output, int port, string directory, IReadOnlyList<string> arguments, string readyLine)
    {
        _process = process;
        _output = output;
        _arguments = arguments;
        _readyLine = readyLine;
        Port = port;
        Directory = directory;
    }

    /// <summary>The port the server listens on (TCP, or TLS when started with <c>tls: true</c>).</summary>
    public int Port { get; }

    /// <summary>The process id of the server.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True until the server is killed or exits.</summary>
    public bool IsRunning
    {
        get
        {
            try
            {
                return !_process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>The server's working directory (deleted on dispose): a place for an ACL file or certificates.</summary>
    public string Directory { get; }

    /// <summary><c>127.0.0.1:port</c>, to which a test adds <c>password=</c>, <c>ssl=true</c>...</summary>
    public string EndPoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>What the server wrote to stdout and stderr, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>
    /// Starts <c>redis-server</c> on a free loopback port with <paramref name="arguments"/> added. With
    /// <paramref name="tls"/> the port is the TLS port (<c>--tls-port PORT --port 0</c>; the arguments must name the
    /// certificate files). <paramref name="prepare"/> runs first with the server's directory, e.g. to write an ACL file.
    /// </summary>
    /// <exception cref="InvalidOperationException">redis-server is missing or exited (its output is in the message).</exception>
    /// <exception cref="TimeoutException">It was not ready within 15 s.</exception>
    public static Task<RedisServerProcess> StartAsync(IEnumerable<string> arguments, bool tls = false, Func<string, IEnumerable<string>>? prepare = null)
        => StartCoreAsync(configFileLines: null, arguments, tls, prepare);

    /// <summary>
    /// Starts <c>redis-server</c> in sentinel mode on a free loopback port, with <paramref name="configLines"/>
    /// (<c>sentinel monitor ...</c>) as its config file: a sentinel needs one it can rewrite. Ready once it monitors
    /// its master.
    /// </summary>
    /// <exception cref="InvalidOperationException">redis-server is missing or exited (its output is in the message).</exception>
    /// <exception cref="TimeoutException">It was not ready within 15 s.</exception>
    public static Task<RedisServerProcess> StartSentinelAsync(IEnumerable<string> configLines)
        => StartCoreAsync(configLines, [], tls: false, prepare: null);

    private static async Task<RedisServerProcess> StartCoreAsync(IEnumerable<string>? configFileLines, IEnumerable<string> arguments, bool tls, Func<string, IEnumerable<string>>? prepare)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("taskqueue-redis-process-").FullName;
        var port = FreeLoopbackPort();
        var portText = port.ToString(CultureInfo.InvariantCulture);
        string[] listen = tls ? ["--tls-port", portText, "--port", "0"] : ["--port", portText];

        // redis-server reads a config file only as its first argument; sentinel mode needs one.
        string[] mode = [];
        if (configFileLines is not null)
        {
            var configFile = Path.Combine(directory, "sentinel.conf");
            await File.WriteAllLinesAsync(configFile, configFileLines).ConfigureAwait(false);
            mode = [configFile, "--sentinel"];
        }

        var readyLine = configFileLines is null ? ServerReadyLine : SentinelReadyLine;
        string[] all =
        [
            .. mode,
            .. listen,
            .. new[] { "--bind", "127.0.0.1", "--dir", directory, "--save", string.Empty, "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no", "--loglevel", "notice" },
            .. arguments,
            .. prepare?.Invoke(directory) ?? [],
        ];
        var output = new ConcurrentQueue<string>();
        Process process;
        try
        {
            process = await LaunchAsync(all, directory, port, output, readyLine).ConfigureAwait(false);
        }
        catch
        {
            DeleteDirectory(directory);
            throw;
        }

        return new RedisServerProcess(process, output, port, directory, all, readyLine);
    }

    /// <summary>
    /// Kills the server with SIGKILL (no shutdown save: what a crash or an OOM kill does) and waits for it to exit.
    /// Only this object's process, by its PID.
    /// </summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>SIGSTOPs the server: it holds its connections but answers nothing (a stalled host) until <see cref="Resume"/>.</summary>
    public void Suspend() => Signal("-STOP");

    /// <summary>SIGCONT after <see cref="Suspend"/>.</summary>
    public void Resume() => Signal("-CONT");

    /// <summary>
    /// Starts the server again after <see cref="Kill"/> (or kills it first), on the same port, directory and
    /// arguments, so it loads its append-only file; returns once it accepts connections. <paramref name="extraArguments"/>
    /// are added for this start only (a later one of the same setting wins, e.g. <c>--replicaof</c>).
    /// </summary>
    public async Task RestartAsync(IEnumerable<string>? extraArguments = null)
    {
        Kill();
        _process.Dispose();
        _process = await LaunchAsync([.. _arguments, .. extraArguments ?? []], Directory, Port, _output, _readyLine).ConfigureAwait(false);
    }

    /// <summary>Kills the server (by its PID, the process this object started) and deletes its directory.</summary>
    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        DeleteDirectory(Directory);
        return ValueTask.CompletedTask;
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, ProcessId.ToString(CultureInfo.InvariantCulture)]);
        if (!kill.WaitForExit(10_000) || kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {ProcessId} failed.");
        }
    }

    private static async Task<Process> LaunchAsync(IReadOnlyList<string> arguments, string directory, int port, ConcurrentQueue<string> output, string readyLine)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("TASKQUEUE_REDIS_SERVER") ?? "redis-server")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"redis-server is not installed (apt-get install -y redis-server): {ex.Message}", ex);
        }

        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);

            // A server logs it after the data set (an append-only file included) is loaded.
            if (e.Data.Contains(readyLine, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(StartTimeout)).ConfigureAwait(false);
        if (first == ready.Task)
        {
            return process;
        }

        var exitedFirst = first == exited;
        if (!exitedFirst)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }

        var code = process.ExitCode;
        process.Dispose();
        throw exitedFirst
            ? new InvalidOperationException($"redis-server exited with code {code} on port {port}: {string.Join(Environment.NewLine, output)}")
            : new TimeoutException($"redis-server on port {port} was not ready within {StartTimeout.TotalSeconds} s: {string.Join(Environment.NewLine, output)}");
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp dir left behind is harmless.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
