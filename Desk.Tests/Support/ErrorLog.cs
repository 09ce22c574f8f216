using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Desk.Tests.Support;

/// <summary>Keeps what a desk logs at Error or above, so a test can say "nothing was logged as an error".</summary>
public sealed class ErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) entries.Enqueue($"{category}: {formatter(state, exception)} {exception?.GetType().Name}");
        }
    }
}
