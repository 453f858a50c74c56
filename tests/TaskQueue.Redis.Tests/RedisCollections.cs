using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.Redis.Tests;

/// <summary>Tests sharing one Redis server (each with its own key prefix).</summary>
[CollectionDefinition(RedisServerFixture.CollectionName)]
public sealed class RedisServerCollection : ICollectionFixture<RedisServerFixture>;

/// <summary>Fault tests that restart or stop their own append-only redis-server.</summary>
[CollectionDefinition(AppendOnlyRedisServerFixture.CollectionName)]
public sealed class AppendOnlyRedisServerCollection : ICollectionFixture<AppendOnlyRedisServerFixture>;
