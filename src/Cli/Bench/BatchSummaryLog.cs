using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Fanout;

namespace Thoras.Cli.Bench;

/// <summary>
/// Reads what the batch functions and the queue workers log as they finish: each batch function's summary line
/// (<c>Forecast of batch … finished</c>, <c>Apply of batch … finished</c>) with its outcome counts, and each message
/// moved to a poison queue. The benchmark learns from these, as an operator would from the logs, when a tick's batches
/// are all done and what they did; it never looks inside the functions.
/// </summary>
public sealed class BatchSummaryLog : ILoggerProvider
{
    private readonly object gate = new();
    private readonly List<BatchSummary> summaries = [];
    private readonly string forecastQueue;
    private readonly string applyQueue;

    /// <param name="forecastQueue">The forecast work queue's name, to tell which stage a poisoned message came from.</param>
    /// <param name="applyQueue">The apply work queue's name.</param>
    public BatchSummaryLog(string forecastQueue, string applyQueue)
    {
        this.forecastQueue = forecastQueue;
        this.applyQueue = applyQueue;
    }

    /// <summary>The summaries logged so far, in the order they were logged.</summary>
    public IReadOnlyList<BatchSummary> Summaries
    {
        get
        {
            lock (gate)
            {
                return [.. summaries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Reader(this);

    public void Dispose()
    {
        // Nothing held.
    }

    private void Read(IReadOnlyList<KeyValuePair<string, object?>> state)
    {
        var format = state.FirstOrDefault(p => p.Key == "{OriginalFormat}").Value as string;
        BatchStage? stage = format switch
        {
            not null when format.StartsWith("Forecast of batch", StringComparison.Ordinal) => BatchStage.Forecast,
            not null when format.StartsWith("Apply of batch", StringComparison.Ordinal) => BatchStage.Apply,
            _ => null,
        };
        var poisoned = format is not null && format.StartsWith("Message {MessageId} moved from", StringComparison.Ordinal);
        if (poisoned)
        {
            var queue = state.FirstOrDefault(p => p.Key == "Queue").Value as string;
            stage = queue == forecastQueue ? BatchStage.Forecast : queue == applyQueue ? BatchStage.Apply : null;
        }

        if (stage is not { } finished)
            return;
        var counts = state.Where(p => p.Value is int).ToDictionary(p => p.Key, p => (int)p.Value!, StringComparer.Ordinal);
        lock (gate)
        {
            summaries.Add(new BatchSummary(finished, poisoned, counts, Stopwatch.GetTimestamp()));
        }
    }

    private sealed class Reader(BatchSummaryLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> pairs)
                log.Read(pairs);
        }
    }
}

/// <summary>One finished batch: its stage, whether it was poisoned instead, its outcome counts by name, and when (a <see cref="Stopwatch"/> timestamp).</summary>
public sealed record BatchSummary(BatchStage Stage, bool Poisoned, IReadOnlyDictionary<string, int> Counts, long At)
{
    /// <summary>The count of <paramref name="outcome"/>, 0 when the summary has none.</summary>
    public int Count(string outcome) => Counts.TryGetValue(outcome, out var n) ? n : 0;
}
