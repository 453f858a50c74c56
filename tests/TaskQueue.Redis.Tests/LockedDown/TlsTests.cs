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

        // Later calls, made while StackExchange.Redis keeps retrying the handshake, fail the same way. The reason it
        // attaches is its own and depends on its timing (the certificate error, a cancelled handshake or a disposed
        // socket were all seen on a loaded 2-core machine), so only what the store promises is checked here.
        for (var call = 0; call < 5; call++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            clock.Restart();
            var later = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.EnqueueAsync(TestJobs.New()).AsTask());
            Assert.True(clock.Elapsed < AtOnce, $"call {call} took {clock.Elapsed} to fail");
            Assert.True(later.IsConnectionFailure);
            Assert.Contains("no connection to Redis", later.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was stored", later.Message, StringComparison.Ordinal);
        }

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
