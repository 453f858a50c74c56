using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests.LockedDown;

/// <summary>A store connected as a least-privilege ACL user, and as one that lacks a permission.</summary>
public sealed class AclUserTests(AclRedisServer server) : IClassFixture<AclRedisServer>
{
    [Fact]
    public async Task Store_as_the_least_privilege_user_runs_the_worker_smoke_and_is_denied_nothing()
    {
        var prefix = RedisServerFixture.NewKeyPrefix();
        await using var store = await ConnectAsync(await server.CreateUserAsync(prefix));

        await WorkerSmoke.RunAsync(store);

        Assert.Empty(await server.DeniedAsync($"tq-{prefix}"));
    }

    [Fact]
    public async Task Call_as_a_user_missing_a_command_the_store_sends_fails_naming_the_command()
    {
        var prefix = RedisServerFixture.NewKeyPrefix();
        await using var store = await ConnectAsync(await server.CreateUserAsync(prefix, except: "hgetall"));
        var job = TestJobs.New();
        await store.EnqueueAsync(job);

        var ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.GetJobAsync(job.Queue, job.Id).AsTask());

        Assert.False(ex.IsConnectionFailure);
        Assert.True(ex.Message.Contains("NOPERM", StringComparison.Ordinal) && ex.Message.Contains("'hgetall'", StringComparison.Ordinal), ex.Message);
        Assert.True(ex.Message.Contains("Locking Redis down", StringComparison.Ordinal), ex.Message);
    }

    [Fact]
    public async Task Enqueue_as_a_user_missing_a_command_a_script_calls_fails_with_a_permission_error_and_acl_log_names_the_command()
    {
        var prefix = RedisServerFixture.NewKeyPrefix();
        await using var store = await ConnectAsync(await server.CreateUserAsync(prefix, except: "rpush"));

        var ex = await Assert.ThrowsAsync<RedisJobStoreException>(() => store.EnqueueAsync(TestJobs.New()).AsTask());

        // Redis 7.0 does not name the command a script was denied ("can't run this command or subcommand script: SHA,
        // on @user_script:LINE"); the message points to ACL LOG, which does.
        Assert.False(ex.IsConnectionFailure);
        Assert.True(ex.Message.Contains("can't run this command", StringComparison.Ordinal) && ex.Message.Contains("ACL LOG", StringComparison.Ordinal), ex.Message);
        Assert.Contains("command rpush (lua)", await server.DeniedAsync($"tq-{prefix}"));
    }

    [Fact]
    public void Readme_shows_the_tested_acl_line()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "TaskQueue.Redis", "README.md"));

        Assert.Contains(LeastPrivilegeAcl.Line("taskqueue", RedisJobStoreOptions.DefaultKeyPrefix, "CHANGE-ME"), readme, StringComparison.Ordinal);
    }

    private static async Task<RedisJobStore> ConnectAsync(string connectionString)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await RedisJobStore.ConnectAsync(connectionString, timeout.Token);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (var i = 0; i < 10 && directory is not null; i++, directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TaskQueue.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No TaskQueue.sln above {AppContext.BaseDirectory}.");
    }
}
