using Thoras.Domain.Forecasting;

namespace Thoras.Cli.Backtest;

/// <summary>One usage series read from a trace file.</summary>
/// <param name="Name">The file name for single-series files, <c>file/column</c> for multi-column files.</param>
/// <param name="Samples">The samples in file order.</param>
/// <param name="Source">The file it was read from (what <c>--upper PATH=N</c> matches).</param>
public sealed record TraceSeries(string Name, IReadOnlyList<UsageSample> Samples, string Source = "");
