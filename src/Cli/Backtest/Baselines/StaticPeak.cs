namespace Thoras.Cli.Backtest.Baselines;

/// <summary>The static request people set by hand: the peak of the first days plus a margin, never changed.</summary>
public static class StaticPeak
{
    /// <summary>The default margin over the observed peak: 15 %.</summary>
    public const double DefaultMargin = 0.15;

    /// <summary>The peak of <paramref name="firstDays"/> times (1 + <paramref name="margin"/>).</summary>
    public static double Request(IEnumerable<double> firstDays, double margin = DefaultMargin)
    {
        ArgumentNullException.ThrowIfNull(firstDays);
        var peak = firstDays.DefaultIfEmpty(0).Max();
        return peak * (1 + margin);
    }
}
