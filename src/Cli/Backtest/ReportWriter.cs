using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thoras.Cli.Backtest;

/// <summary>Writes the backtest report as JSON (the stable format of docs/backtest.md) or as a readable table.</summary>
public static class ReportWriter
{
    private static readonly CompositeFormat Row = CompositeFormat.Parse("{0,-36} {1,6} {2,5}  {3,-30} {4,-30} {5,-30} {6,-30}");
    private static readonly CompositeFormat Summary = CompositeFormat.Parse("{0,-8} {1,7} {2,9} {3,8} {4,8} {5,8} {6,10} {7,12} {8,8}");
    private static readonly CompositeFormat CellFormat = CompositeFormat.Parse("{0,7} {1,7} {2,7} {3,7}");

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Writes <paramref name="report"/> as one JSON object.</summary>
    public static void WriteJson(BacktestReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(JsonSerializer.Serialize(report, Json));
    }

    /// <summary>Writes per-series lines at <paramref name="riskTarget"/>, then the frontier summary, each under column headers.</summary>
    public static void WriteTable(BacktestReport report, double riskTarget, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(c, "Per series: under % = share of measured blocks above the allocation, slack and deficit as fractions of usage, chg/day = changes of the allocation per day"));
        output.WriteLine(string.Format(c, Row, "", "", "", $"thoras (risk {riskTarget.ToString("P1", c)})", $"naive (risk {riskTarget.ToString("P1", c)})", "vpa (P90 × 1.15)", "static (peak + 15 %)"));
        var cells = string.Format(c, CellFormat, "under %", "slack", "deficit", "chg/day");
        output.WriteLine(string.Format(c, Row, "series", "points", "gaps", cells, cells, cells, cells));
        foreach (var series in report.Series)
        {
            PolicyResult Pick(string policy, double? setting) => series.Results.First(r => r.Policy == policy && (setting is null || r.Setting == setting));
            output.WriteLine(string.Format(
                c,
                Row,
                Shorten(series.Name, 36),
                series.Points,
                series.Gaps,
                Cell(Pick("thoras", riskTarget)),
                Cell(Pick("naive", riskTarget)),
                Cell(Pick("vpa", 0.9)),
                Cell(Pick("static", null))));
        }

        output.WriteLine();
        output.WriteLine("Across series (medians); ratios are to VPA interpolated at the same achieved share, per series; within = share of series within ±0.5 points of the risk target");
        output.WriteLine(string.Format(c, Summary, "policy", "risk", "under %", "within", "slack", "deficit", "slack/vpa", "deficit/vpa", "chg/day"));
        foreach (var point in report.Frontier)
        {
            output.WriteLine(string.Format(
                c,
                Summary,
                point.Policy,
                point.RiskTarget is { } r ? r.ToString("P1", c) : "-",
                (point.MedianUnderProvisionedShare * 100).ToString("0.00", c),
                point.WithinTolerance is { } w ? w.ToString("P0", c) : "-",
                point.MedianSlack.ToString("0.000", c),
                point.MedianDeficit.ToString("0.0000", c),
                point.MedianSlackRatioVsVpa is { } s ? s.ToString("0.000", c) : "-",
                point.MedianDeficitRatioVsVpa is { } d ? d.ToString("0.000", c) : "-",
                point.MedianChangesPerDay.ToString("0.0", c)));
        }
    }

    private static string Cell(PolicyResult r) =>
        string.Format(CultureInfo.InvariantCulture, CellFormat, (r.UnderProvisionedShare * 100).ToString("0.00", CultureInfo.InvariantCulture), r.Slack.ToString("0.000", CultureInfo.InvariantCulture), r.Deficit.ToString("0.0000", CultureInfo.InvariantCulture), r.ChangesPerDay.ToString("0.0", CultureInfo.InvariantCulture));

    private static string Shorten(string name, int width) => name.Length <= width ? name : "…" + name[^(width - 1)..];
}
