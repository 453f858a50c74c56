using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TaskQueue.Tests.Telemetry;

/// <summary>
/// Loggers that share one scope provider, as the loggers of one <c>LoggerFactory</c> do, and keep every message
/// with the scope values that were active when it was written.
/// </summary>
internal sealed class ScopeCapturingLoggerFactory
{
    private readonly LoggerExternalScopeProvider _scopes = new();
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger<T> CreateLogger<T>() => new Logger<T>(this);

    public sealed record Entry(string Message, IReadOnlyDictionary<string, object?> Scope);

    private sealed class Logger<T>(ScopeCapturingLoggerFactory factory) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => factory._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>();
            factory._scopes.ForEachScope(
                static (value, scope) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var pair in pairs)
                        {
                            scope[pair.Key] = pair.Value;
                        }
                    }
                },
                scope);
            factory._entries.Enqueue(new Entry(formatter(state, exception), scope));
        }
    }
}
