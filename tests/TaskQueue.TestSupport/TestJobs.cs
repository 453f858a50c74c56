using System.Text;
using TaskQueue.Storage;

namespace TaskQueue.TestSupport;

/// <summary>Builds <see cref="NewJob"/>s for store and worker tests.</summary>
public static class TestJobs
{
    /// <summary>The queue tests use unless they need another.</summary>
    public const string Queue = "contract";

    /// <summary>A ready job with a small JSON payload naming it.</summary>
    public static NewJob New(string name = "test-job", Priority priority = Priority.Normal, string queue = Queue, int maxRetries = 3, string? payload = null)
        => new()
        {
            Id = JobId.New(),
            Name = name,
            Queue = queue,
            Priority = priority,
            Payload = Encoding.UTF8.GetBytes(payload ?? $$"""{"job":"{{name}}"}"""),
            MaxRetries = maxRetries,
        };

    /// <summary>The payload as text.</summary>
    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
