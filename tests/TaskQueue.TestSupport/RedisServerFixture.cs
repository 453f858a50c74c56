using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;
using Testcontainers.Redis;
using Xunit;

namespace TaskQueue.TestSupport;

/// <summary>Where the fixture's Redis runs.</summary>
public enum RedisServerKind
{
    /// <summary>A server named by <c>TASKQUEUE_TEST_REDIS</c>; never restarted.</summary>
    External,

    /// <summary>A Testcontainers container (a Docker engine answered).</summary>
    Container,

    /// <summary>A <c>redis-server</c> process this fixture started on a free loopback port.</summary>
    LocalProcess,
}

/// <summary>
/// A real Redis for tests, shared by a test collection: <c>TASKQUEUE_TEST_REDIS</c> (a connection string) when set;
/// else a Testcontainers container when a Docker engine answers; else a local <c>redis-server</c> process on a free
/// loopback port in a temp dir (no persistence unless <see cref="AppendOnly"/>), stopped on dispose.
/// Tests share the server and keep apart with <see cref="NewKeyPrefix"/>.
/// </summary>
/// <remarks>
/// xunit 2 only sees <c>[CollectionDefinition]</c> classes in the test assembly itself, so each test project declares
/// its collection, e.g. <c>[CollectionDefinition(RedisServerFixture.CollectionName)] public sealed class RedisServerCollection : ICollectionFixture&lt;RedisServerFixture&gt;;</c>.
/// </remarks>
public class RedisServerFixture : IAsyncLifetime
{
    /// <summary>The usual collection name for tests sharing this fixture.</summary>
    public const string CollectionName = "redis-server";

    /// <summary>The environment variable naming an existing server to use.</summary>
    public const string EnvironmentVariable = "TASKQUEUE_TEST_REDIS";

    private static int s_prefixCounter;
    private RedisContainer? _container;
    private Process? _process;
    private string? _directory;
    private int _port;
    private ConnectionMultiplexer? _admin;

    /// <summary>True to run a local process with <c>appendonly yes</c> (and never an external server or container), for restart tests.</summary>
    protected virtual bool AppendOnly => false;

    /// <summary>
    /// The <c>appendfsync</c> policy with <see cref="AppendOnly"/>. <c>everysec</c> may acknowledge a write it has not
    /// yet written when a background fsync is slow, so a killed server can lose up to ~2 s of acknowledged writes;
    /// <c>always</c> writes and fsyncs before replying.
    /// </summary>
    protected virtual string AppendFsync => "everysec";

    /// <summary>False to pick the local process's port without starting it, until <see cref="StartAsync"/> (no <see cref="Admin"/> then).</summary>
    protected virtual bool StartOnInitialize => true;

    /// <summary>Where the server runs.</summary>
    public RedisServerKind Kind { get; private set; }

    /// <summary>A StackExchange.Redis connection string for the server.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>True when <see cref="RestartAsync"/> works (a local process).</summary>
    public bool CanRestart => Kind == RedisServerKind.LocalProcess;

    /// <summary>An admin connection (CLIENT KILL, FLUSHALL, DEBUG) that reconnects after restarts.</summary>
    public IConnectionMultiplexer Admin => _admin ?? throw new InvalidOperationException("The Redis fixture is not initialized.");

    /// <summary>A key prefix no other test uses, so tests can share the server.</summary>
    public static string NewKeyPrefix() => $"t{Interlocked.Increment(ref s_prefixCounter)}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Runs a raw command, e.g. <c>ExecuteAsync("CLIENT", "KILL", "TYPE", "normal")</c>.</summary>
    public Task<RedisResult> ExecuteAsync(string command, params object[] args) => Admin.GetDatabase().ExecuteAsync(command, args);

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!AppendOnly && StartOnInitialize && !string.IsNullOrWhiteSpace(external))
        {
            Kind = RedisServerKind.External;
            ConnectionString = external;
        }
        else if (!AppendOnly && StartOnInitialize && await DockerAnswersAsync().ConfigureAwait(false))
        {
            Kind = RedisServerKind.Container;
            _container = new RedisBuilder("redis:7.4-alpine").Build();
            await _container.StartAsync().ConfigureAwait(false);
            ConnectionString = _container.GetConnectionString();
        }
        else
        {
            Kind = RedisServerKind.LocalProcess;
            _port = FreeLoopbackPort();
            _directory = Directory.CreateTempSubdirectory("taskqueue-redis-").FullName;
            ConnectionString = $"127.0.0.1:{_port}";
            if (!StartOnInitialize)
            {
                return;
            }

            await StartProcessAsync().ConfigureAwait(false);
        }

        var options = ConfigurationOptions.Parse(ConnectionString);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = false;
        _admin = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }

    /// <summary>
    /// Kills the local <c>redis-server</c> (SIGKILL: no shutdown save) and starts it again on the same port and
    /// directory, waiting until it answers PING (after loading its append-only file).
    /// </summary>
    public async Task RestartAsync()
    {
        if (!CanRestart)
        {
            throw new InvalidOperationException($"Only a local redis-server can be restarted; this fixture uses {Kind}.");
        }

        StopProcess();
        await StartProcessAsync().ConfigureAwait(false);
    }

    /// <summary>Kills the local <c>redis-server</c> without starting it again (to test calls during an outage).</summary>
    public void Stop()
    {
        if (!CanRestart)
        {
            throw new InvalidOperationException($"Only a local redis-server can be stopped; this fixture uses {Kind}.");
        }

        StopProcess();
    }

    /// <summary>Starts the local <c>redis-server</c> again after <see cref="Stop"/>.</summary>
    public Task StartAsync() => CanRestart
        ? StartProcessAsync()
        : throw new InvalidOperationException($"Only a local redis-server can be started; this fixture uses {Kind}.");

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
        }

        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }

        StopProcess();
        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A temp dir left behind is harmless.
            }
        }
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("TASKQUEUE_REDIS_SERVER") ?? "redis-server")
        {
            WorkingDirectory = _directory!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--dir", _directory!, "--save", string.Empty, "--appendonly", AppendOnly ? "yes" : "no",
            "--appendfsync", AppendFsync, "--protected-mode", "no", "--daemonize", "no", "--loglevel", "warning",
        })
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"No Redis for the tests: set {EnvironmentVariable}, run a Docker engine, or install redis-server (apt-get install -y redis-server). {ex.Message}", ex);
        }

        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await PingAsync(_port).ConfigureAwait(false))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} on port {_port}.");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"redis-server on port {_port} did not answer PING within 15 s.");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private void StopProcess()
    {
        if (_process is null)
        {
            return;
        }

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
        _process = null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True when the server answers PING with PONG (not LOADING).</summary>
    private static async Task<bool> PingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True when a Docker engine answers <c>/_ping</c> within a second (never hangs the test run).</summary>
    private static async Task<bool> DockerAnswersAsync()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var socketPath = host is not null && host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : "/var/run/docker.sock";
        if (host is not null && !host.StartsWith("unix://", StringComparison.Ordinal))
        {
            return true; // A TCP engine was named explicitly: let Testcontainers use it.
        }

        if (!File.Exists(socketPath))
        {
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token).ConfigureAwait(false);
            await socket.SendAsync("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var buffer = new byte[256];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>
/// A local <c>redis-server</c> whose port is chosen when initialized but which starts only on <see cref="RedisServerFixture.StartAsync"/>,
/// for tests of an app that starts while Redis is down. Not a collection fixture: a test makes its own and disposes it.
/// </summary>
public sealed class NotYetStartedRedisServerFixture : RedisServerFixture
{
    /// <inheritdoc/>
    protected override bool StartOnInitialize => false;
}

/// <summary>
/// A local <c>redis-server</c> with <c>appendonly yes</c> and <c>appendfsync always</c>, for tests that kill and restart
/// it and expect every acknowledged write to survive.
/// </summary>
public sealed class AppendOnlyRedisServerFixture : RedisServerFixture
{
    /// <summary>The usual collection name for tests sharing this fixture.</summary>
    public new const string CollectionName = "redis-server-appendonly";

    /// <inheritdoc/>
    protected override bool AppendOnly => true;

    /// <inheritdoc/>
    protected override string AppendFsync => "always";
}
