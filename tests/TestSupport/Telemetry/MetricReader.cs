using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Thoras.Domain.Telemetry;

namespace Thoras.TestSupport.Telemetry;

/// <summary>
/// Reads the app's instruments as an exporter does: a <see cref="MeterListener"/> on the <c>Thoras</c> meter. Each
/// measurement is kept with its labels written <c>key=value,...</c> in the order they were recorded.
/// </summary>
public sealed class MetricReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, string Labels)> _seen = new();

    /// <summary>Listens to <paramref name="instruments"/> from now on.</summary>
    public MetricReader(params string[] instruments)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == ThorasTelemetry.Name && instruments.Contains(i.Name))
                l.EnableMeasurementEvents(i);
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => _seen.Enqueue((i.Name, value, Labels(tags))));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => _seen.Enqueue((i.Name, value, Labels(tags))));
        _listener.Start();
    }

    /// <summary>The measurements of <paramref name="instrument"/> so far whose labels contain <paramref name="labelled"/>.</summary>
    public IReadOnlyList<(double Value, string Labels)> Of(string instrument, string labelled) =>
        [.. _seen.Where(s => s.Instrument == instrument && s.Labels.Contains(labelled, StringComparison.Ordinal)).Select(s => (s.Value, s.Labels))];

    /// <summary>The current value of each label set of the observable <paramref name="gauge"/>, as one collection reads it.</summary>
    public static Dictionary<string, double> Gauge(string gauge)
    {
        using var reader = new MetricReader(gauge);
        reader._listener.RecordObservableInstruments();
        return reader._seen.ToDictionary(s => s.Labels, s => s.Value, StringComparer.Ordinal);
    }

    public void Dispose() => _listener.Dispose();

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        string.Join(",", tags.ToArray().Select(t => FormattableString.Invariant($"{t.Key}={t.Value}")));
}
