using Xunit;
using TaskQueue.Processing;

namespace TaskQueue.Tests.Processing;

public sealed class JobDispatcherTests
{
    [Fact]
    public void Dispatcher_finds_jobs_of_every_registry()
    {
        var a = new FakeJobRegistry();
        a.Add("a", _ => Task.CompletedTask);
        var b = new FakeJobRegistry();
        b.Add("b", _ => Task.CompletedTask);

        var dispatcher = new JobDispatcher([a, b]);

        Assert.True(dispatcher.TryGetJob("a", out var ra));
        Assert.Same(a, ra.Registry);
        Assert.True(dispatcher.TryGetJob("b", out var rb));
        Assert.Same(b, rb.Registry);
        Assert.False(dispatcher.TryGetJob("c", out _));
        Assert.Equal(2, dispatcher.Count);
    }

    [Fact]
    public void Two_registries_defining_the_same_job_name_are_rejected_naming_the_job()
    {
        var a = new FakeJobRegistry();
        a.Add("send-email", _ => Task.CompletedTask);
        var b = new FakeJobRegistry();
        b.Add("send-email", _ => Task.CompletedTask);

        var error = Assert.Throws<InvalidOperationException>(() => new JobDispatcher([a, b]));

        Assert.Contains("'send-email'", error.Message);
        Assert.Contains(nameof(FakeJobRegistry), error.Message);
    }
}
