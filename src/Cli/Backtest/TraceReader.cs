using System.Globalization;
using Thoras.Domain.Forecasting;

namespace Thoras.Cli.Backtest;

/// <summary>
/// Reads usage traces: <c>timestamp,value</c> CSV (one series per file) or the <c>t_seconds,&lt;id&gt;,...</c>
/// multi-column format (one series per column; t_seconds = 0 is taken as midnight UTC of Monday 2 January 2017,
/// so time of day and day of week are defined). Empty cells are missing samples.
/// </summary>
public static class TraceReader
{
    /// <summary>Where t_seconds = 0 falls: a Monday, midnight UTC.</summary>
    public static readonly DateTimeOffset RelativeEpoch = new(2017, 1, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] TimestampFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssK", "O"];

    /// <summary>Reads every series of the CSV files among <paramref name="paths"/> (directories are searched recursively).</summary>
    public static IReadOnlyList<TraceSeries> ReadAll(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var series = new List<TraceSeries>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    series.AddRange(Read(file));
                }
            }
            else if (File.Exists(path))
            {
                series.AddRange(Read(path));
            }
            else
            {
                throw new TraceFormatException($"{path}: no such file or directory.");
            }
        }

        return series;
    }

    /// <summary>Reads one file.</summary>
    public static IReadOnlyList<TraceSeries> Read(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads one trace from <paramref name="reader"/>; <paramref name="source"/> names it in series names and errors.</summary>
    public static IReadOnlyList<TraceSeries> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        var header = reader.ReadLine() ?? throw new TraceFormatException($"{source}:1: the file is empty; expected a header line.");
        var columns = header.Split(',').Select(c => c.Trim()).ToArray();
        var stem = Path.GetFileNameWithoutExtension(source);
        if (columns.Length >= 2 && columns[0].Equals("t_seconds", StringComparison.OrdinalIgnoreCase))
        {
            return ReadColumns(reader, source, stem, columns);
        }

        if (columns.Length == 2 && columns[0].Equals("timestamp", StringComparison.OrdinalIgnoreCase))
        {
            return [new TraceSeries(stem, ReadTimestamped(reader, source), source)];
        }

        throw new TraceFormatException($"{source}:1: unknown header '{header}'; expected 'timestamp,value' or 't_seconds,<id>,...'.");
    }

    private static List<UsageSample> ReadTimestamped(TextReader reader, string source)
    {
        var samples = new List<UsageSample>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            if (cells.Length != 2)
            {
                throw new TraceFormatException($"{source}:{lineNumber}: expected 2 columns (timestamp,value), found {cells.Length}.");
            }

            if (!DateTimeOffset.TryParseExact(cells[0].Trim(), TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp))
            {
                throw new TraceFormatException($"{source}:{lineNumber}: '{cells[0]}' is not a timestamp (expected yyyy-MM-dd HH:mm:ss, UTC).");
            }

            samples.Add(new UsageSample(timestamp, ParseValue(cells[1], source, lineNumber)));
        }

        if (samples.Count == 0)
        {
            throw new TraceFormatException($"{source}:{lineNumber}: no samples after the header.");
        }

        return samples;
    }

    private static List<TraceSeries> ReadColumns(TextReader reader, string source, string stem, string[] columns)
    {
        var samples = Enumerable.Range(1, columns.Length - 1).Select(_ => new List<UsageSample>()).ToArray();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            if (cells.Length != columns.Length)
            {
                throw new TraceFormatException($"{source}:{lineNumber}: expected {columns.Length} columns like the header, found {cells.Length}.");
            }

            if (!double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds))
            {
                throw new TraceFormatException($"{source}:{lineNumber}: '{cells[0]}' is not a number of seconds.");
            }

            var timestamp = RelativeEpoch.AddSeconds(seconds);
            for (var c = 1; c < cells.Length; c++)
            {
                if (cells[c].Trim().Length > 0 && !cells[c].Trim().Equals("NA", StringComparison.OrdinalIgnoreCase))
                {
                    samples[c - 1].Add(new UsageSample(timestamp, ParseValue(cells[c], source, lineNumber)));
                }
            }
        }

        var series = new List<TraceSeries>();
        for (var c = 1; c < columns.Length; c++)
        {
            if (samples[c - 1].Count > 0)
            {
                series.Add(new TraceSeries($"{stem}/{columns[c]}", samples[c - 1], source));
            }
        }

        if (series.Count == 0)
        {
            throw new TraceFormatException($"{source}:{lineNumber}: no samples after the header.");
        }

        return series;
    }

    private static double ParseValue(string cell, string source, int lineNumber)
    {
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new TraceFormatException($"{source}:{lineNumber}: '{cell}' is not a finite number.");
        }

        if (value < 0)
        {
            throw new TraceFormatException($"{source}:{lineNumber}: usage {value} is negative.");
        }

        return value;
    }
}
