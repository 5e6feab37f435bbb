using ScottPlot;

namespace Thoras.Cli.Backtest;

/// <summary>
/// Draws one series: usage (gaps left blank), our suggestion at the highlighted risk target and VPA's (P90 × 1.15),
/// against days since the series starts, with the legend outside the data so it hides none of it.
/// </summary>
public static class SeriesPlot
{
    /// <summary>Saves the plot of <paramref name="replay"/> as PNG or SVG (by the extension of <paramref name="path"/>).</summary>
    public static void Save(SeriesReplay replay, double riskTarget, string path)
    {
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(path);
        var thoras = Allocation(replay, "thoras", riskTarget);
        var vpa = Allocation(replay, "vpa", 0.9);
        var days = replay.Blocks.Select(b => (b.Start - replay.Blocks[0].Start).TotalDays).ToArray();
        var plot = new Plot();
        var usage = plot.Add.ScatterLine(days, replay.Blocks.Select(b => b.Count > 0 ? b.Max : double.NaN).ToArray());
        usage.LegendText = "usage (5-minute peak; gaps blank)";
        var ours = plot.Add.ScatterLine(days, thoras);
        ours.LegendText = $"thoras (risk {riskTarget:P1})";
        var theirs = plot.Add.ScatterLine(days, vpa);
        theirs.LegendText = "VPA (P90 × 1.15)";
        var scored = plot.Add.VerticalLine(days.Length > replay.ScoredFrom ? days[replay.ScoredFrom] : 0);
        scored.LegendText = "scoring starts (min_lookback_to_scale)";
        scored.LinePattern = LinePattern.Dashed;
        if (replay.Upper is { } upper)
        {
            var line = plot.Add.HorizontalLine(upper);
            line.LegendText = "upper bound (--upper)";
            line.LinePattern = LinePattern.Dotted;
        }

        plot.Title(replay.Name);
        plot.XLabel("time since the series starts (days)");
        plot.YLabel("usage and allocation (the trace's unit)");
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        plot.Axes.SetLimits(0, Math.Max(days.LastOrDefault(), 1.0 / 288), Math.Min(0, limits.Bottom), limits.Top);
        plot.ShowLegend(Edge.Bottom);
        PlotFile.Save(plot, path, 1600, 700);
    }

    private static double[] Allocation(SeriesReplay replay, string policy, double setting)
    {
        for (var i = 0; i < replay.Results.Count; i++)
        {
            if (replay.Results[i].Policy == policy && replay.Results[i].Setting == setting)
            {
                return replay.Allocations[i];
            }
        }

        throw new ArgumentException($"The replay has no {policy} at {setting}.", nameof(policy));
    }
}
