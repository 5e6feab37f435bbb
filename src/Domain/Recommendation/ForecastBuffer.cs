namespace Thoras.Domain.Recommendation;

/// <summary>
/// The buffer step: the user's headroom (<c>forecast_buffer_percentage</c>) on top of the bound the change policy
/// decided. It comes after calibration on purpose: misses are counted against the unbuffered bound, so the
/// calibration does not learn the buffer away.
/// </summary>
public static class ForecastBuffer
{
    /// <summary><paramref name="bound"/> raised by <paramref name="percent"/> %.</summary>
    public static double Apply(double bound, double percent)
    {
        if (!(percent >= 0) || double.IsInfinity(percent))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "The buffer percentage must be a finite, non-negative number.");
        }

        return bound * (1 + (percent / 100));
    }
}
