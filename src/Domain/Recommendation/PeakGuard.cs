namespace Thoras.Domain.Recommendation;

/// <summary>
/// The recent-peak step: caps the calibrated bound near the training window's peak and, at tight risk targets,
/// floors it near the peak just reached. Both are read from measured blocks only.
/// </summary>
public static class PeakGuard
{
    /// <summary>
    /// The bound never exceeds the training window's peak by more than this factor: on spiky series a wide log-space
    /// margin would otherwise ask for far more than was ever used. A new peak raises the cap at once (and an OOM kill
    /// raises memory through the OOM floor), so a growing workload is followed within one interval.
    /// </summary>
    public const double CapFactor = 1.05;

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
