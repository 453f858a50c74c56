using TaskQueue.Processing;
using Xunit;

namespace TaskQueue.Tests.Processing;

public sealed class UnknownJobNamesTests
{
    [Fact]
    public void Each_unknown_name_is_reported_once()
    {
        var names = new UnknownJobNames();

        Assert.True(names.FirstTime("renamed-job"));
        Assert.False(names.FirstTime("renamed-job"));
        Assert.True(names.FirstTime("other-app-job"));
        Assert.False(names.FirstTime("other-app-job"));
    }

    [Fact]
    public void Past_its_bound_every_new_name_is_reported_and_none_is_remembered()
    {
        var names = new UnknownJobNames();
        for (var i = 0; i < 1024; i++)
        {
            Assert.True(names.FirstTime($"job-{i}"));
        }

        // Storage may hold endless foreign names: memory stays bounded, and the warning is never lost.
        Assert.True(names.FirstTime("job-extra"));
        Assert.True(names.FirstTime("job-extra"));
        Assert.False(names.FirstTime("job-7"));
    }
}
