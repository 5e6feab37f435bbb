namespace Thoras.Domain.Recommendation;

/// <summary>
/// The recent-peak step: caps the calibrated bound at the training window's peak and, at tight risk targets,
/// floors it near the peak just reached. Both are read from measured blocks only.
/// </summary>
public static class PeakGuard
{
    /// <summary>
    /// The bound never exceeds the training window's peak times this factor. At 1 it is never above the highest
    /// block of the last 14 days: a wide log-space margin on a spiky series would otherwise ask for more than was
    /// ever used, paid for on every block while only a new record could use it. A new peak raises the cap at once
    /// (and an OOM kill raises memory through the OOM floor), so a growing workload is followed within one interval;
    /// <c>buffer_percentage</c> is added after this step. 1 rather than 1.05 lowered the slack ratio on 85 of 119
    /// development series at 1 % and 97 at 2 % for the same deficit (docs/backtest.md).
    /// </summary>
    public const double CapFactor = 1.0;

    /// <summary>
    /// At risk targets up to <see cref="FloorMaxRisk"/>, the bound is never below this share of the highest block of
    /// the last <see cref="FloorBlocks"/>: usage just reached is not given away on one calm forecast.
    /// </summary>
    public const double FloorFactor = 0.95;

    /// <summary>How many of the latest blocks the floor looks at (15 minutes).</summary>
    public const int FloorBlocks = 3;

    /// <summary>The highest risk target the floor applies to: balanced and safer modes.</summary>
    public const double FloorMaxRisk = 0.02;

    /// <summary>
    /// <paramref name="bound"/> capped at <see cref="CapFactor"/> × <paramref name="windowPeak"/> and, for
    /// <paramref name="riskTarget"/> ≤ <see cref="FloorMaxRisk"/>, raised to <see cref="FloorFactor"/> ×
    /// <paramref name="latestPeak"/> (the cap wins when they cross).
    /// </summary>
    /// <param name="bound">The calibrated bound.</param>
    /// <param name="windowPeak">The highest measured block of the training window.</param>
    /// <param name="latestPeak">The highest measured block of the last <see cref="FloorBlocks"/>.</param>
    /// <param name="riskTarget">The risk target the bound is calibrated for.</param>
    public static double Apply(double bound, double windowPeak, double latestPeak, double riskTarget)
    {
        var cap = CapFactor * windowPeak;
        var guarded = Math.Min(bound, cap);
        var floor = riskTarget <= FloorMaxRisk ? FloorFactor * latestPeak : 0;
        return floor <= cap ? Math.Max(guarded, floor) : guarded;
    }
}
