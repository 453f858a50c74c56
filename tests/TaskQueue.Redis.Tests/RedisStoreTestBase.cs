using System.Text;
using StackExchange.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>A fresh <see cref="RedisJobStore"/> per test, on the shared server, under a key prefix of its own.</summary>
public abstract class RedisStoreTestBase : IAsyncLifetime
{
    protected const string Queue = "default";

    protected RedisStoreTestBase(RedisServerFixture server)
    {
        Server = server;
        Prefix = RedisServerFixture.NewKeyPrefix();
    }

    protected RedisServerFixture Server { get; }

    protected string Prefix { get; }

    protected RedisJobStore Store { get; private set; } = null!;

    protected IDatabase Db => Server.Admin.GetDatabase();

    public virtual async Task InitializeAsync() => Store = await CreateStoreAsync(ConfigureStore);

    /// <summary>Options of <see cref="Store"/> beyond the server and key prefix (none by default).</summary>
    protected virtual void ConfigureStore(RedisJobStoreOptions options)
    {
    }

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    protected Task<RedisJobStore> CreateStoreAsync(Action<RedisJobStoreOptions>? configure = null)
    {
        var options = new RedisJobStoreOptions { ConnectionString = Server.ConnectionString, KeyPrefix = Prefix };
        configure?.Invoke(options);
        return RedisJobStore.ConnectAsync(options);
    }

    protected static NewJob Job(string name = "Send", Priority priority = Priority.Normal, string queue = Queue, string payload = "{}", int maxRetries = 3)
        => new()
        {
            Id = JobId.New(),
            Name = name,
            Queue = queue,
            Priority = priority,
            Payload = Encoding.UTF8.GetBytes(payload),
            MaxRetries = maxRetries,
        };

    protected ValueTask<IReadOnlyList<LeasedJob>> FetchAsync(int max = 10, TimeSpan? lease = null, string queue = Queue)
        => Store.FetchAsync(new FetchRequest(queue, max, lease ?? TimeSpan.FromSeconds(30), "worker-1"));

    protected static JobCompletion Completion(LeasedJob job, CompletionKind kind, string? error = null, TimeSpan retryDelay = default, string? result = null)
        => new()
        {
            Lease = job.Lease,
            Kind = kind,
            Error = error,
            RetryDelay = retryDelay,
            Result = result is null ? null : Encoding.UTF8.GetBytes(result),
        };

    protected string Key(string suffix) => $"{{{Prefix}:{Queue}}}:{suffix}";

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes.</summary>
    protected static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return await condition();
    }
}
