using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thoras.Cli.Backtest;

/// <summary>Writes the backtest report as JSON (the stable format of docs/backtest.md) or as a readable table.</summary>
public static class ReportWriter
{
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

    /// <summary>Writes per-series lines at <paramref name="riskTarget"/>, then the frontier summary.</summary>
    public static void WriteTable(BacktestReport report, double riskTarget, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(c, "Per series at risk {0:P1} (thoras, naive), VPA P90 ×1.15 and static: under-provisioned % / slack / deficit / changes", riskTarget));
        output.WriteLine(string.Format(c, "{0,-36} {1,6}  {2,-27} {3,-27} {4,-27} {5,-27}", "series", "points", "thoras", "naive", "vpa p0.9", "static"));
        foreach (var series in report.Series)
        {
            PolicyResult Pick(string policy, double? setting) => series.Results.First(r => r.Policy == policy && (setting is null || r.Setting == setting));
            output.WriteLine(string.Format(
                c,
                "{0,-36} {1,6}  {2,-27} {3,-27} {4,-27} {5,-27}",
                Shorten(series.Name, 36),
                series.Points,
                Cell(Pick("thoras", riskTarget)),
                Cell(Pick("naive", riskTarget)),
                Cell(Pick("vpa", 0.9)),
                Cell(Pick("static", null))));
        }

        output.WriteLine();
        output.WriteLine("Across series (medians); ratios are to VPA interpolated at the same achieved share, per series");
        output.WriteLine(string.Format(c, "{0,-8} {1,7} {2,9} {3,8} {4,8} {5,8} {6,12} {7,14}", "policy", "risk", "under %", "within", "slack", "deficit", "slack/vpa", "deficit/vpa"));
        foreach (var point in report.Frontier)
        {
            output.WriteLine(string.Format(
                c,
                "{0,-8} {1,7} {2,9:0.00} {3,8} {4,8:0.000} {5,8:0.0000} {6,12} {7,14}",
                point.Policy,
                point.RiskTarget is { } r ? r.ToString("P1", c) : "-",
                point.MedianUnderProvisionedShare * 100,
                point.WithinTolerance is { } w ? w.ToString("P0", c) : "-",
                point.MedianSlack,
                point.MedianDeficit,
                point.MedianSlackRatioVsVpa is { } s ? s.ToString("0.000", c) : "-",
                point.MedianDeficitRatioVsVpa is { } d ? d.ToString("0.000", c) : "-"));
        }
    }

    private static string Cell(PolicyResult r) =>
        string.Format(CultureInfo.InvariantCulture, "{0,5:0.00} {1,7:0.000} {2,6:0.0000} {3,5}", r.UnderProvisionedShare * 100, r.Slack, r.Deficit, r.Changes);

    private static string Shorten(string name, int width) => name.Length <= width ? name : "…" + name[^(width - 1)..];
}
