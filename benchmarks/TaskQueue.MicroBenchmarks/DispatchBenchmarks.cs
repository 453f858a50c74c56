using BenchmarkDotNet.Attributes;
using TaskQueue.Generated;
using TaskQueue.Processing;

namespace TaskQueue.MicroBenchmarks;

/// <summary>Finding a job by its stored name: the worker's frozen lookup, and the generated switch with argument reading.</summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private readonly JobDispatcher _dispatcher = new([new TaskQueueMicroBenchmarksJobRegistry()]);
    private readonly TaskQueueMicroBenchmarksJobRegistry _registry = new();
    private readonly byte[] _payload = Jobs.Job05.Serialize(42);
    private readonly string _name = new(Jobs.Job05.Definition.Name.AsSpan());
    private JobContext _context = null!;

    [GlobalSetup]
    public void Setup()
        => _context = new JobContext(JobId.New(), _name, "default", 1, DateTimeOffset.UnixEpoch, EmptyServices.Instance, CancellationToken.None);

    /// <summary>The worker's lookup by name (a string equal to, not the same instance as, the registered one).</summary>
    [Benchmark(Baseline = true)]
    public bool Lookup() => _dispatcher.TryGetJob(_name, out _);

    /// <summary>The generated switch, argument reading and the no-op call.</summary>
    [Benchmark]
    public ValueTask<byte[]?> Invoke() => _registry.InvokeAsync(_name, _payload, _context);

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
