using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TaskQueue.Redis.Tests;

/// <summary>Keeps every formatted log message, in order, so a test can look for what the app said.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public int Count(string fragment) => _messages.Count(m => m.Contains(fragment, StringComparison.Ordinal));

    /// <summary>The position of the first message containing <paramref name="fragment"/>, or -1.</summary>
    public int IndexOf(string fragment) => Messages.ToList().FindIndex(m => m.Contains(fragment, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(_messages);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => messages.Enqueue(formatter(state, exception));
    }
}
