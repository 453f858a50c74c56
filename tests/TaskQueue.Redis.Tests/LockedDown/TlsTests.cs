using System.Diagnostics;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.LockedDown;

/// <summary>
/// A redis-server that listens on TLS only (<c>--tls-port</c>, <c>--port 0</c>), with a certificate from a CA made
/// for this class: the store trusts that CA through <see cref="RedisJobStoreOptions.TrustedCaCertificatePath"/>.
/// </summary>
public sealed class TlsTests : IAsyncLifetime
{
    /// <summary>Far below a blocking connect and generous for a loaded 2-core CI machine.</summary>
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(3);

    private RedisServerProcess _redis = null!;
    private TestCertificateAuthority _ca = null!;

    public async Task InitializeAsync()
        => _redis = await RedisServerProcess.StartAsync([], tls: true, prepare: directory =>
        {
            _ca = TestCertificateAuthority.Create(directory);
            return _ca.RedisServerArguments;
        });

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Store_over_tls_trusting_the_private_ca_runs_the_worker_smoke()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var store = await RedisJobStore.ConnectAsync(
            new RedisJobStoreOptions
            {
                ConnectionString = $"{_redis.EndPoint},ssl=true",
                TrustedCaCertificatePath = _ca.CaCertificatePath,
                KeyPrefix = RedisServerFixture.NewKeyPrefix(),
            },
            timeout.Token);

        await WorkerSmoke.RunAsync(store);
    }

    [Fact]
    public async Task Store_that_does_not_trust_the_ca_fails_calls_at_once_saying_nothing_was_stored()
    {
        await using var store = RedisJobStore.Connect(new RedisJobStoreOptions { ConnectionString = $"{_redis.EndPoint},ssl=true", KeyPrefix = RedisServerFixture.NewKeyPrefix() });

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.EnqueueAsync(TestJobs.New()).AsTask());

        Assert.True(clock.Elapsed < AtOnce, $"the enqueue took {clock.Elapsed} to fail");
        Assert.True(ex.IsConnectionFailure);
        Assert.Contains("Nothing was stored", ex.Message, StringComparison.Ordinal);

        // Once the first connect attempt has ended (it outlasts the half-second a call waits for it), a failing call
        // carries the attempt's reason. Which reason StackExchange.Redis reports depends on its own timing: usually the
        // certificate error, sometimes a socket it disposed while giving up (seen on a loaded 2-core machine). Either
        // way the call fails as "no connection" and says nothing was stored; the certificate text is logged when seen.
        var last = string.Empty;
        await Eventually.TrueAsync(
            async () =>
            {
                last = (await Assert.ThrowsAsync<RedisJobStoreException>(() => store.EnqueueAsync(TestJobs.New()).AsTask())).Message;
                return last.Contains("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot", StringComparison.Ordinal)
                    || last.Contains("Cannot access a disposed object", StringComparison.Ordinal);
            },
            () => "a failing call names the reason; the last one said: " + last,
            TimeSpan.FromSeconds(90)); // StackExchange.Redis's first attempt may retry for 2-3 connect timeouts (5 s each), longer on a loaded machine.
        Assert.Contains("no connection to Redis", last, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", last, StringComparison.Ordinal);
        Assert.False(store.IsAvailable);
    }

    [Fact]
    public void Trusted_ca_without_ssl_in_the_connection_string_is_rejected_when_configured()
    {
        var ex = Assert.Throws<ArgumentException>(() => RedisJobStore.Connect(new RedisJobStoreOptions
        {
            ConnectionString = _redis.EndPoint,
            TrustedCaCertificatePath = _ca.CaCertificatePath,
        }));

        Assert.Contains("ssl=true", ex.Message, StringComparison.Ordinal);
    }
}
