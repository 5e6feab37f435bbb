using Thoras.Domain.Forecasting;

namespace Thoras.Cli.Backtest;

/// <summary>What to replay and how. Defaults are the product defaults and the sweep.</summary>
public sealed record BacktestOptions
{
    /// <summary>The forecaster settings; its risk target is the one the table highlights. Default: product defaults (balanced).</summary>
    public ForecastSettings Forecast { get; init; } = new();

    /// <summary>Risk targets of the thoras and naive sweeps. Default: 0.005, 0.01, 0.02, 0.05.</summary>
    public IReadOnlyList<double> RiskTargets { get; init; } = [0.005, 0.01, 0.02, 0.05];

    /// <summary>Percentiles of the VPA sweep. Default: 0.50 to 0.999, dense in the tail.</summary>
    public IReadOnlyList<double> VpaPercentiles { get; init; } = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999];

    /// <summary>Series replayed at once. Default: the processor count.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The most any series can use (<c>--upper N</c>), like a spec <c>upperbound</c>. Default: none.</summary>
    public double? Upper { get; init; }

    /// <summary>
    /// The most the series of a file (or of every file under a directory) can use (<c>--upper PATH=N</c>); the
    /// longest matching path wins over <see cref="Upper"/>. Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, double> UpperByPath { get; init; } = new Dictionary<string, double>();

    /// <summary>The upper bound of the series read from <paramref name="source"/>, or null for none.</summary>
    public double? UpperFor(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length == 0)
        {
            return Upper;
        }

        var full = Path.GetFullPath(source);
        var match = UpperByPath
            .Select(p => (Path: Path.GetFullPath(p.Key).TrimEnd(Path.DirectorySeparatorChar), p.Value))
            .Where(p => full == p.Path || full.StartsWith(p.Path + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderByDescending(p => p.Path.Length)
            .Select(p => (double?)p.Value)
            .FirstOrDefault();
        return match ?? Upper;
    }
}
