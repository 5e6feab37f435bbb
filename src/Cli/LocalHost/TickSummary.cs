using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Thoras.Cli.LocalHost;

/// <summary>
/// Keeps the last information message a function logs during its invocation (the functions end with their
/// summary: "Apply finished: ..."), so the local host can print one line per tick while the functions' detail is
/// shown only with <c>--verbose</c>. Register it as a logger provider; call <see cref="Begin"/> before invoking.
/// </summary>
public sealed class TickSummary : ILoggerProvider
{
    private static readonly AsyncLocal<StrongBox<string?>?> Current = new();

    /// <summary>Starts capturing for the current invocation; the box holds its last message when it ends.</summary>
    public static StrongBox<string?> Begin()
    {
        var box = new StrongBox<string?>();
        Current.Value = box;
        return box;
    }

    public ILogger CreateLogger(string categoryName) => new Capture();

    public void Dispose()
    {
    }

    private sealed class Capture : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && Current.Value is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && Current.Value is { } box)
                box.Value = formatter(state, exception);
        }
    }
}
