using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Thoras.Domain.Telemetry;

/// <summary>
/// The latest value of an observable gauge per label set. A value not set again within <c>maxAge</c> is no longer
/// reported, so a target that was unenrolled (or is now handled by another instance) drops out by itself.
/// </summary>
internal sealed class GaugeBoard(TimeSpan maxAge)
{
    private readonly ConcurrentDictionary<string, Entry> _values = new(StringComparer.Ordinal);

    /// <summary>Sets the value of one label set.</summary>
    public void Set(double value, params KeyValuePair<string, object?>[] tags) =>
        _values[Key(tags)] = new Entry(value, tags, Environment.TickCount64);

    /// <summary>Replaces every value with <paramref name="values"/>: label sets missing from it are no longer reported.</summary>
    public void ReplaceAll(IEnumerable<(double Value, KeyValuePair<string, object?>[] Tags)> values)
    {
        var now = Environment.TickCount64;
        var fresh = values.ToDictionary(v => Key(v.Tags), v => new Entry(v.Value, v.Tags, now), StringComparer.Ordinal);
        foreach (var key in _values.Keys.Where(k => !fresh.ContainsKey(k)))
            _values.TryRemove(key, out _);
        foreach (var (key, entry) in fresh)
            _values[key] = entry;
    }

    /// <summary>The values to report now.</summary>
    public IEnumerable<Measurement<double>> Observe()
    {
        var oldest = Environment.TickCount64 - (long)maxAge.TotalMilliseconds;
        foreach (var (key, entry) in _values)
        {
            if (entry.At < oldest)
            {
                _values.TryRemove(key, out _);
                continue;
            }

            yield return new Measurement<double>(entry.Value, entry.Tags);
        }
    }

    private static string Key(KeyValuePair<string, object?>[] tags) =>
        string.Join('\u001f', tags.Select(t => t.Key + "=" + t.Value));

    private sealed record Entry(double Value, KeyValuePair<string, object?>[] Tags, long At);
}
