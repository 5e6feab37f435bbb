using System.Globalization;
using ScottPlot;

namespace Thoras.Cli.Backtest;

/// <summary>
/// The run's summary: for each policy, median slack against median changes per day across series, one point per
/// setting (risk target, percentile), labelled, so the cost of fewer changes can be read off.
/// </summary>
public static class SummaryPlot
{
    /// <summary>Saves the summary of <paramref name="report"/> as PNG or SVG (by the extension of <paramref name="path"/>).</summary>
    public static void Save(BacktestReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(path);
        var c = CultureInfo.InvariantCulture;
        var plot = new Plot();
        var policies = report.Series.SelectMany(s => s.Results).Select(r => r.Policy).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var policy in policies)
        {
            var points = report.Series
                .SelectMany(s => s.Results.Where(r => r.Policy == policy))
                .GroupBy(r => r.Setting)
                .OrderBy(g => g.Key)
                .Select(g => (Setting: g.Key, ChangesPerDay: Frontier.Median(g.Select(r => r.ChangesPerDay)), Slack: Frontier.Median(g.Select(r => r.Slack))))
                .ToArray();
            var scatter = plot.Add.Scatter(points.Select(p => p.ChangesPerDay).ToArray(), points.Select(p => p.Slack).ToArray());
            scatter.LegendText = policy;
            scatter.MarkerSize = 8;
            foreach (var point in points)
            {
                var label = plot.Add.Text(point.Setting is { } s ? s.ToString(policy == "vpa" ? "P1" : "0.###", c) : "", point.ChangesPerDay, point.Slack);
                label.LabelFontSize = 10;
                label.LabelFontColor = scatter.Color;
            }
        }

        plot.Title($"{report.Series.Count} series: median slack against median changes per day (labels: risk target, VPA percentile, static margin)");
        plot.XLabel("changes of the allocation per day (median across series)");
        plot.YLabel("slack (allocated − used where positive, over used; median)");
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        plot.Axes.SetLimits(0, Math.Max(1, limits.Right), 0, Math.Max(0.01, limits.Top));
        plot.ShowLegend(Edge.Right);
        PlotFile.Save(plot, path, 1400, 800);
    }
}
