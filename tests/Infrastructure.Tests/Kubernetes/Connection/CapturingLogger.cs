using Microsoft.Extensions.Logging;

namespace Thoras.Infrastructure.Tests.Kubernetes.Connection;

/// <summary>Keeps every log entry as text: the rendered message, each structured value and the exception.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly List<string> entries = [];

    public IReadOnlyList<string> Entries
    {
        get { lock (entries) return [.. entries]; }
    }

    public string AllText => string.Join('\n', Entries);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
            : string.Empty;
        lock (entries) entries.Add($"{logLevel}: {formatter(state, exception)} | {values} | {exception}");
    }
}
