using System.Collections.Concurrent;
using TaskQueue.Processing;

namespace TaskQueue.Tests.Processing;

/// <summary>A hand-written dispatch table: job name to definition and handler (the generator is built elsewhere).</summary>
internal sealed class FakeJobRegistry : IJobRegistry
{
    private readonly ConcurrentDictionary<string, (JobDefinition Definition, Func<ReadOnlyMemory<byte>, JobContext, Task<byte[]?>> Handler)> _jobs = new();
    private readonly List<JobDefinition> _definitions = [];

    public IReadOnlyList<JobDefinition> Jobs => _definitions;

    public JobDefinition Add(string name, Func<ReadOnlyMemory<byte>, JobContext, Task<byte[]?>> handler, int maxRetries = 3, TimeSpan? timeout = null, RetryPolicy? retry = null, bool requiresScope = false, Priority priority = Priority.Normal)
    {
        var definition = new JobDefinition(name, JobDefaults.Queue, priority, maxRetries, timeout, retry ?? new RetryPolicy(RetryStrategy.Fixed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)), requiresScope);
        _jobs[name] = (definition, handler);
        _definitions.Add(definition);
        return definition;
    }

    public JobDefinition Add(string name, Func<JobContext, Task> handler, int maxRetries = 3, TimeSpan? timeout = null, RetryPolicy? retry = null, bool requiresScope = false)
        => Add(name, async (_, context) => { await handler(context); return null; }, maxRetries, timeout, retry, requiresScope);

    public async ValueTask<byte[]?> InvokeAsync(string name, ReadOnlyMemory<byte> payload, JobContext context)
    {
        if (!_jobs.TryGetValue(name, out var job))
        {
            throw new UnknownJobException(name);
        }

        return await job.Handler(payload, context);
    }
}
