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

    [Fact]
    public async Task A_definition_with_an_invoker_runs_through_it_without_asking_the_registry_by_name()
    {
        var registry = new FakeJobRegistry();
        var definition = registry.Add("direct", (_, _) => throw new InvalidOperationException("the registry was asked by name"));
        var direct = new JobDefinition(definition.Name, definition.Queue, definition.Priority, definition.MaxRetries, definition.Timeout, definition.Retry, definition.RequiresScope)
        {
            Invoker = static (_, _) => new ValueTask<byte[]?>([42]),
        };
        var dispatcher = new JobDispatcher([new FixedJobs(registry, direct)]);

        Assert.True(dispatcher.TryGetJob("direct", out var found));
        var result = await found.Invoker(ReadOnlyMemory<byte>.Empty, null!);

        Assert.Equal([42], result);
    }

    [Fact]
    public async Task A_definition_without_an_invoker_runs_through_the_registry_by_name()
    {
        var registry = new FakeJobRegistry();
        registry.Add("by-name", (_, _) => Task.FromResult<byte[]?>([7]));
        var dispatcher = new JobDispatcher([registry]);

        Assert.True(dispatcher.TryGetJob("by-name", out var found));
        var result = await found.Invoker(ReadOnlyMemory<byte>.Empty, null!);

        Assert.Equal([7], result);
    }

    /// <summary>Lists other definitions than the ones its inner registry runs by name.</summary>
    private sealed class FixedJobs(IJobRegistry inner, params JobDefinition[] jobs) : IJobRegistry
    {
        public IReadOnlyList<JobDefinition> Jobs => jobs;

        public ValueTask<byte[]?> InvokeAsync(string name, ReadOnlyMemory<byte> payload, JobContext context) => inner.InvokeAsync(name, payload, context);
    }
}
