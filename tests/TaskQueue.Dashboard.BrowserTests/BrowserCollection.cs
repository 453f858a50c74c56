using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.BrowserTests;

/// <summary>One real redis-server and one chromium for every browser test (each test's app has its own key prefix).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<RedisServerFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
