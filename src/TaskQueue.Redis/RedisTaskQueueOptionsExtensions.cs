using Microsoft.Extensions.Configuration;

namespace TaskQueue.Redis;

/// <summary><c>AddTaskQueue(o => o.UseRedis(...))</c>: stores jobs in Redis.</summary>
/// <remarks>
/// The store connects in the background (<see cref="RedisJobStore.Connect(RedisJobStoreOptions)"/>), so the host starts
/// at once even when Redis is down: calls fail fast until Redis answers, and the worker waits for it before it starts.
/// </remarks>
public static class RedisTaskQueueOptionsExtensions
{
    /// <summary>Stores jobs in Redis reached with <paramref name="connectionString"/> (see <see cref="RedisJobStoreOptions.ConnectionString"/>).</summary>
    /// <exception cref="ArgumentException">The connection string is invalid (checked now, not when the host starts).</exception>
    public static TaskQueueOptions UseRedis(this TaskQueueOptions options, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return options.UseRedis(o => o.ConnectionString = connectionString);
    }

    /// <summary>Stores jobs in Redis with settings set by <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentException">A setting is invalid (checked now, not when the host starts).</exception>
    public static TaskQueueOptions UseRedis(this TaskQueueOptions options, Action<RedisJobStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configure);
        var storeOptions = new RedisJobStoreOptions();
        configure(storeOptions);
        return options.UseRedis(storeOptions);
    }

    /// <summary>
    /// Stores jobs in Redis with settings bound from <paramref name="section"/>: either a plain connection string
    /// (<c>"TaskQueue:Redis": "localhost:6379"</c>) or an object with the <see cref="RedisJobStoreOptions"/> properties.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is invalid (checked now, not when the host starts).</exception>
    public static TaskQueueOptions UseRedis(this TaskQueueOptions options, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(section);
        var storeOptions = new RedisJobStoreOptions();
        if (section is IConfigurationSection { Value: { Length: > 0 } connectionString })
        {
            storeOptions.ConnectionString = connectionString;
        }
        else
        {
            section.Bind(storeOptions);
        }

        return options.UseRedis(storeOptions);
    }

    private static TaskQueueOptions UseRedis(this TaskQueueOptions options, RedisJobStoreOptions storeOptions)
    {
        _ = storeOptions.Resolve();
        return options.UseStore(_ => RedisJobStore.Connect(storeOptions));
    }
}
