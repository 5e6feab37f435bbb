using System.Collections.Concurrent;
using System.Globalization;

namespace Thoras.Sandbox.Usage;

/// <summary>A real usage series: values at a fixed interval, replayed in a loop.</summary>
internal sealed record Trace(double[] Values, TimeSpan Interval)
{
    public double At(TimeSpan elapsed)
    {
        var index = (long)Math.Floor(elapsed.TotalSeconds / Interval.TotalSeconds);
        return Values[(int)(((index % Values.Length) + Values.Length) % Values.Length)];
    }
}

/// <summary>Loads the CSV traces of <c>shared/traces</c>: <c>timestamp,value</c> files and <c>t_seconds,&lt;id&gt;...</c> tables.</summary>
internal sealed class TraceLibrary
{
    private readonly string? directory;
    private readonly ConcurrentDictionary<string, Trace> cache = new(StringComparer.Ordinal);

    public TraceLibrary(string? directory) => this.directory = directory ?? Locate();

    public Trace Load(string relativePath, string? column)
    {
        var key = $"{relativePath}#{column}";
        return cache.GetOrAdd(key, _ => Read(relativePath, column));
    }

    private Trace Read(string relativePath, string? column)
    {
        if (directory is null)
            throw new InvalidOperationException("No traces folder: set SandboxOptions.TracesDirectory or THORAS_TRACES_DIR.");
        var path = Path.GetFullPath(Path.Combine(directory, relativePath));
        if (!path.StartsWith(Path.GetFullPath(directory), StringComparison.Ordinal) || !File.Exists(path))
            throw new FileNotFoundException($"Trace '{relativePath}' not found under '{directory}'.", path);
        var lines = File.ReadLines(path).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(',');
        var index = column is null ? 1 : Array.IndexOf(header, column);
        if (index < 1)
            throw new InvalidOperationException($"Trace '{relativePath}' has no column '{column}'. Columns: {string.Join(", ", header.Skip(1).Take(10))}...");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var values = rows.Select(r => double.TryParse(r[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
        if (values.Length == 0)
            throw new InvalidOperationException($"Trace '{relativePath}' has no samples.");
        return new Trace(values, Interval(header[0], rows));
    }

    private static TimeSpan Interval(string timeColumn, List<string[]> rows)
    {
        if (rows.Count < 2)
            return TimeSpan.FromMinutes(5);
        if (timeColumn == "t_seconds")
        {
            return TimeSpan.FromSeconds(double.Parse(rows[1][0], CultureInfo.InvariantCulture) - double.Parse(rows[0][0], CultureInfo.InvariantCulture));
        }

        var first = DateTime.Parse(rows[0][0], CultureInfo.InvariantCulture);
        var second = DateTime.Parse(rows[1][0], CultureInfo.InvariantCulture);
        return second > first ? second - first : TimeSpan.FromMinutes(5);
    }

    private static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("THORAS_TRACES_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "traces");
            if (Directory.Exists(candidate))
                return candidate;
        }

        return null;
    }
}
