using ScottPlot;

namespace Thoras.Cli.Backtest;

/// <summary>Draws one series: usage, our suggestion at the highlighted risk target and VPA's (P90 × 1.15).</summary>
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
        var usage = plot.Add.ScatterLine(days, replay.Blocks.Select(b => b.Max).ToArray());
        usage.LegendText = "usage (5-min max)";
        var ours = plot.Add.ScatterLine(days, thoras);
        ours.LegendText = $"thoras (risk {riskTarget:P1})";
        var theirs = plot.Add.ScatterLine(days, vpa);
        theirs.LegendText = "VPA (P90 × 1.15)";
        plot.Title(replay.Name);
        plot.XLabel("days");
        plot.ShowLegend();
        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            plot.SaveSvg(path, 1600, 600);
        }
        else
        {
            plot.SavePng(path, 1600, 600);
        }
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
