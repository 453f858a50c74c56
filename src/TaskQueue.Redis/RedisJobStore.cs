namespace TaskQueue.Redis;

/// <summary>The Redis <see cref="Storage.IJobStore"/> (built under the Redis runtime issue).</summary>
public sealed partial class RedisJobStore
{
}
