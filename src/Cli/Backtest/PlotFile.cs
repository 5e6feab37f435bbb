using ScottPlot;

namespace Thoras.Cli.Backtest;

/// <summary>Writes a plot as PNG or SVG, by the extension of the path.</summary>
internal static class PlotFile
{
    public static void Save(Plot plot, string path, int width, int height)
    {
        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            plot.SaveSvg(path, width, height);
        }
        else
        {
            plot.SavePng(path, width, height);
        }
    }
}
