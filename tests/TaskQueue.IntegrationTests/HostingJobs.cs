using System.Collections.Concurrent;

namespace TaskQueue.IntegrationTests;

/// <summary>Jobs the hosting tests enqueue through the generated proxies.</summary>
public static class HostingJobs
{
    public static ConcurrentQueue<string> Seen { get; } = new();

    [Job(Queue = "hosting")]
    public static void Record(string text, int number) => Seen.Enqueue($"{text}:{number}");
}

/// <summary>An instance job: the worker resolves it from a DI scope per attempt.</summary>
public sealed class GreetingJobs(GreetingFormatter formatter)
{
    [Job(Queue = "hosting")]
    public Task<string> Greet(string name, JobContext context)
    {
        var text = formatter.Format(name, context.Attempt);
        HostingJobs.Seen.Enqueue(text);
        return Task.FromResult(text);
    }
}

/// <summary>A service the instance job depends on.</summary>
public sealed class GreetingFormatter
{
    public string Format(string name, int attempt) => $"hello {name} (attempt {attempt})";
}
