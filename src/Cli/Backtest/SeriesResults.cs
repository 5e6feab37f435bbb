namespace Thoras.Cli.Backtest;

/// <summary>One series of the report (the JSON <c>series</c> entry).</summary>
/// <param name="Name">The series name.</param>
/// <param name="Points">How many 5-minute blocks the series spans after downsampling, gaps included.</param>
/// <param name="Gaps">How many of them are gaps (no sample): seen as missing, left out of every policy's score.</param>
/// <param name="Upper">The upper bound honoured for the series (<c>--upper</c>), or null.</param>
/// <param name="Results">One result per policy setting.</param>
public sealed record SeriesResults(string Name, int Points, int Gaps, double? Upper, IReadOnlyList<PolicyResult> Results);

/// <summary>The whole backtest report: what <c>--format json</c> prints.</summary>
/// <param name="Series">Per-series results.</param>
/// <param name="Frontier">Medians across series per policy and risk level.</param>
public sealed record BacktestReport(IReadOnlyList<SeriesResults> Series, IReadOnlyList<FrontierPoint> Frontier);
