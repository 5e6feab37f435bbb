namespace Thoras.Cli.Backtest;

/// <summary>One line of the <c>frontier</c> summary: a policy at a risk level, medians across series.</summary>
/// <param name="Policy">thoras, naive, vpa or static.</param>
/// <param name="RiskTarget">The risk level; null for static.</param>
/// <param name="Series">How many series the medians are over.</param>
/// <param name="MedianUnderProvisionedShare">Median achieved share (for vpa: the risk level it is interpolated at).</param>
/// <param name="WithinTolerance">Share of series whose achieved share is within ±0.005 of the risk target (thoras, naive).</param>
/// <param name="MedianSlack">Median slack (for vpa: interpolated on each series' frontier at the risk level).</param>
/// <param name="MedianDeficit">Median deficit (likewise).</param>
/// <param name="MedianSlackRatioVsVpa">Median of slack / VPA's slack at the same achieved share, per series (thoras, naive).</param>
/// <param name="MedianDeficitRatioVsVpa">Median of deficit / VPA's deficit at the same achieved share, per series.</param>
/// <param name="MedianChangesPerDay">Median changes of the allocation per day (for vpa: interpolated like slack).</param>
public sealed record FrontierPoint(
    string Policy,
    double? RiskTarget,
    int Series,
    double MedianUnderProvisionedShare,
    double? WithinTolerance,
    double MedianSlack,
    double MedianDeficit,
    double? MedianSlackRatioVsVpa,
    double? MedianDeficitRatioVsVpa,
    double MedianChangesPerDay);

/// <summary>Compares policies at matched risk: VPA's percentile sweep traces a frontier per series that others are measured against.</summary>
public static class Frontier
{
    /// <summary>Calibration tolerance: ±0.5 points.</summary>
    public const double Tolerance = 0.005;

    /// <summary>VPA's slack, deficit and changes per day interpolated at under-provisioned share <paramref name="share"/> on one series.</summary>
    public static (double Slack, double Deficit, double ChangesPerDay) VpaAt(IEnumerable<PolicyResult> results, double share)
    {
        var points = results.Where(r => r.Policy == "vpa").OrderBy(r => r.UnderProvisionedShare).ThenBy(r => r.Slack).ToArray();
        if (points.Length == 0)
        {
            throw new ArgumentException("The results hold no vpa sweep.", nameof(results));
        }

        if (share <= points[0].UnderProvisionedShare)
        {
            // Below VPA's safest percentile: its frontier ends here; use its most conservative point.
            return (points[0].Slack, points[0].Deficit, points[0].ChangesPerDay);
        }

        for (var i = 1; i < points.Length; i++)
        {
            var (a, b) = (points[i - 1], points[i]);
            if (share <= b.UnderProvisionedShare)
            {
                var span = b.UnderProvisionedShare - a.UnderProvisionedShare;
                var w = span > 0 ? (share - a.UnderProvisionedShare) / span : 1;
                return (a.Slack + (w * (b.Slack - a.Slack)), a.Deficit + (w * (b.Deficit - a.Deficit)), a.ChangesPerDay + (w * (b.ChangesPerDay - a.ChangesPerDay)));
            }
        }

        return (points[^1].Slack, points[^1].Deficit, points[^1].ChangesPerDay);
    }

    /// <summary>The summary across <paramref name="series"/> for the given risk levels.</summary>
    public static IReadOnlyList<FrontierPoint> Summarise(IReadOnlyList<SeriesResults> series, IReadOnlyList<double> riskTargets)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(riskTargets);
        var summary = new List<FrontierPoint>();
        foreach (var policy in new[] { "thoras", "naive" })
        {
            foreach (var risk in riskTargets)
            {
                var mine = series.Select(s => (s, r: s.Results.First(r => r.Policy == policy && r.RiskTarget == risk))).ToArray();
                var ratios = mine.Select(m =>
                {
                    var (vpaSlack, vpaDeficit, _) = VpaAt(m.s.Results, m.r.UnderProvisionedShare);
                    return (Ratio(m.r.Slack, vpaSlack), Ratio(m.r.Deficit, vpaDeficit));
                }).ToArray();
                summary.Add(new FrontierPoint(
                    policy,
                    risk,
                    mine.Length,
                    Median(mine.Select(m => m.r.UnderProvisionedShare)),
                    mine.Length == 0 ? null : mine.Count(m => Math.Abs(m.r.UnderProvisionedShare - risk) <= Tolerance + 1e-12) / (double)mine.Length,
                    Median(mine.Select(m => m.r.Slack)),
                    Median(mine.Select(m => m.r.Deficit)),
                    Finite(Median(ratios.Select(r => r.Item1))),
                    Finite(Median(ratios.Select(r => r.Item2))),
                    Median(mine.Select(m => m.r.ChangesPerDay))));
            }
        }

        foreach (var risk in riskTargets)
        {
            var atRisk = series.Select(s => VpaAt(s.Results, risk)).ToArray();
            summary.Add(new FrontierPoint("vpa", risk, series.Count, risk, null, Median(atRisk.Select(a => a.Slack)), Median(atRisk.Select(a => a.Deficit)), null, null, Median(atRisk.Select(a => a.ChangesPerDay))));
        }

        var statics = series.Select(s => s.Results.First(r => r.Policy == "static")).ToArray();
        summary.Add(new FrontierPoint("static", null, statics.Length, Median(statics.Select(r => r.UnderProvisionedShare)), null, Median(statics.Select(r => r.Slack)), Median(statics.Select(r => r.Deficit)), null, null, Median(statics.Select(r => r.ChangesPerDay))));
        return summary;
    }

    /// <summary>The median (mean of the middle two for even counts); 0 for none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] / 2) + (sorted[mid] / 2);
    }

    private static double Ratio(double mine, double theirs) => theirs > 0 ? mine / theirs : mine > 0 ? double.PositiveInfinity : 1;

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
