using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.Tests;

/// <summary>Tests that share one real redis-server.</summary>
[CollectionDefinition(RedisServerFixture.CollectionName)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>;
