using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TaskQueue.Testing;

/// <summary>
/// A <c>redis-server</c> process of one test class with arguments of its own (<c>--requirepass</c>, <c>--aclfile</c>,
/// TLS...), on a free loopback port in a temp dir, without persistence. Unlike <see cref="RedisServerFixture"/> it
/// never uses <c>TASKQUEUE_TEST_REDIS</c> or a container: the test needs a server configured its way. Ready once the
/// server logs that it accepts connections (a PING would need the password or TLS); stopped by its PID on dispose.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    /// <summary>How long <see cref="StartAsync"/> waits for the server to be ready.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private RedisServerProcess(Process process, ConcurrentQueue<string> output, int port, string directory)
    {
        _process = process;
        _output = output;
        Port = port;
        Directory = directory;
    }

    /// <summary>The port the server listens on (TCP, or TLS when started with <c>tls: true</c>).</summary>
    public int Port { get; }

    /// <summary>The process id of the server.</summary>
    public int ProcessId => _process.Id;

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
    public static async Task<RedisServerProcess> StartAsync(IEnumerable<string> arguments, bool tls = false, Func<string, IEnumerable<string>>? prepare = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("taskqueue-redis-locked-").FullName;
        var port = FreeLoopbackPort();
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("TASKQUEUE_REDIS_SERVER") ?? "redis-server")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] listen = tls ? ["--tls-port", portText, "--port", "0"] : ["--port", portText];
        var all = listen
            .Concat(["--bind", "127.0.0.1", "--dir", directory, "--save", string.Empty, "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no", "--loglevel", "notice"])
            .Concat(arguments)
            .Concat(prepare?.Invoke(directory) ?? []);
        foreach (var arg in all)
        {
            start.ArgumentList.Add(arg);
        }

        var output = new ConcurrentQueue<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw new InvalidOperationException($"redis-server is not installed (apt-get install -y redis-server): {ex.Message}", ex);
        }

        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServerProcess(process, output, port, directory);
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(ready.Task, exited, Task.Delay(StartTimeout)).ConfigureAwait(false);
            if (first == exited)
            {
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} on port {port}: {server.Output}");
            }

            if (first != ready.Task)
            {
                throw new TimeoutException($"redis-server on port {port} was not ready within {StartTimeout.TotalSeconds} s: {server.Output}");
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills the server (by its PID, the process this object started) and deletes its directory.</summary>
    public ValueTask DisposeAsync()
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

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp dir left behind is harmless.
        }

        return ValueTask.CompletedTask;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
