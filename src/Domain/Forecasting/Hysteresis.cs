namespace Thoras.Domain.Forecasting;

/// <summary>
/// Keeps a suggestion steady: every change resizes pods, so a new bound slightly below the one in force keeps the
/// one in force (it is still above the calibrated bound, so no risk is added); a higher bound is taken at once and a
/// clearly lower one (beyond the band) is taken too, so slack does not pile up.
/// </summary>
public static class Hysteresis
{
    /// <summary>
    /// The bound to apply: <paramref name="previous"/> when <paramref name="next"/> lies at most
    /// <paramref name="band"/> (a fraction of <paramref name="previous"/>) below it, otherwise <paramref name="next"/>.
    /// </summary>
    /// <param name="previous">The bound in force, or null when there is none.</param>
    /// <param name="next">The newly calibrated bound.</param>
    /// <param name="band">How far below the bound in force a new bound may lie and still be ignored (0.05 = 5 %).</param>
    public static double Hold(double? previous, double next, double band)
    {
        if (band is < 0 or >= 1 || double.IsNaN(band))
        {
            throw new ArgumentOutOfRangeException(nameof(band), band, "The hysteresis band must be at least 0 and below 1.");
        }

        return previous is { } held && next <= held && next >= held * (1 - band) ? held : next;
    }
}
