namespace Thoras.Domain.Forecasting;

/// <summary>
/// Builds the model's inputs for the step at block index <c>t</c> from the observed blocks of
/// [<c>windowStart</c>, <c>t</c>) only, so a forecast never sees the usage it predicts and reads no more history than
/// the app keeps. Usage enters as log ratios to a robust recent level (the mean of the last hour's observed block
/// peaks), which makes one model shape fit any unit and scale. A gap is never read as usage: a window with no
/// observed block gives <see cref="Missing"/> (no difference from the level; ML.NET's trainers drop rows holding NaN),
/// and flags and the hours since the last measurement tell the model what is missing.
/// </summary>
public static class FeatureBuilder
{
    /// <summary>Number of features per row.</summary>
    public const int Count = 25;

    /// <summary>The value of a feature whose window holds no measured block.</summary>
    public const float Missing = 0f;

    /// <summary>Blocks per hour, six hours, day and week at the 5-minute block length.</summary>
    private const int Hour = 12;
    private const int SixHours = 72;
    private const int Day = 288;
    private const int Week = 2016;

    /// <summary>The scale of a series with no measured volatility: keeps scores finite on constant usage.</summary>
    private const double MinScale = 0.005;

    /// <summary>
    /// Writes the features of step <paramref name="t"/> into <paramref name="destination"/> and returns true, or
    /// returns false when [<paramref name="windowStart"/>, <paramref name="t"/>) holds no observed block.
    /// </summary>
    /// <param name="history">The usage history; its epsilon must be set.</param>
    /// <param name="windowStart">The oldest block the features may read.</param>
    /// <param name="t">The step being forecast; at most <c>history.Count</c> (the next, unseen step).</param>
    /// <param name="stepStart">Start time of step <paramref name="t"/> (for time of day and day of week).</param>
    /// <param name="horizonBlocks">How many blocks the forecast peak covers.</param>
    /// <param name="destination">At least <see cref="Count"/> floats.</param>
    public static bool Build(UsageHistory history, int windowStart, int t, DateTimeOffset stepStart, int horizonBlocks, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (t < 1 || t > history.Count || windowStart < 0 || windowStart >= t)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, "The step needs history before it, inside the window, and at most the next unseen block.");
        }

        var epsilon = history.Epsilon ?? throw new InvalidOperationException("The history's epsilon is chosen at the first training.");
        var level = Level(history, windowStart, t);
        if (double.IsNaN(level))
        {
            return false;
        }

        var logLevel = Math.Log(level + epsilon);
        float Ratio(double x) => double.IsNaN(x) ? Missing : (float)(Math.Log(x + epsilon) - logLevel);
        int From(int span) => Math.Max(windowStart, t - span);

        var last = history.LastObservedBefore(windowStart, t);
        destination[0] = Ratio(history[last].Max);
        destination[1] = Ratio(history[last].Mean);
        destination[2] = Ratio(history.MaxIn(From(3), t));
        destination[3] = Ratio(history.MaxIn(From(Hour), t));
        destination[4] = Ratio(history.MaxIn(From(SixHours), t));
        destination[5] = Ratio(history.MaxIn(From(Day), t));
        destination[6] = Ratio(history.MeanIn(From(SixHours), t));
        destination[7] = Ratio(history.MeanIn(From(Day), t));
        destination[8] = Ratio(QuantileOf(history, From(Day), t, 0.95));

        // The same horizon a day and a week ago, both against today's level and against the level back then.
        var (dayPeak, dayShape) = Seasonal(history, windowStart, t, Day, horizonBlocks, epsilon);
        var (weekPeak, weekShape) = Seasonal(history, windowStart, t, Week, horizonBlocks, epsilon);
        destination[9] = Ratio(dayPeak);
        destination[10] = dayShape;
        destination[11] = Ratio(weekPeak);
        destination[12] = weekShape;
        destination[13] = double.IsNaN(dayPeak) ? 0f : 1f;
        destination[14] = double.IsNaN(weekPeak) ? 0f : 1f;

        var timeOfDay = stepStart.UtcDateTime.TimeOfDay.TotalDays;
        destination[15] = (float)Math.Sin(2 * Math.PI * timeOfDay);
        destination[16] = (float)Math.Cos(2 * Math.PI * timeOfDay);
        destination[17] = (float)stepStart.UtcDateTime.DayOfWeek;

        destination[18] = Trend(history, windowStart, t, Hour, epsilon);
        destination[19] = Trend(history, windowStart, t, SixHours, epsilon);
        destination[20] = (float)history.VolatilityIn(From(Hour), t);
        destination[21] = (float)history.VolatilityIn(From(Day), t);

        // The highest and the typical peak of this horizon over the past week's days: daily patterns that repeat.
        var (maxDaily, meanDaily) = DailyPeaks(history, windowStart, t, horizonBlocks, epsilon, logLevel);
        destination[22] = maxDaily;
        destination[23] = meanDaily;

        // Hours since the last measurement: after a long gap the recent-level features are old news.
        destination[24] = (float)((t - 1 - last) / (double)Hour);
        return true;
    }

    /// <summary>
    /// The robust recent level the features and the label are relative to: the mean of the last hour's observed
    /// block peaks; after a gap, of the last day's; else the latest observed peak in the window; NaN with none.
    /// </summary>
    public static double Level(UsageHistory history, int windowStart, int t)
    {
        ArgumentNullException.ThrowIfNull(history);
        var hour = history.MeanIn(Math.Max(windowStart, t - Hour), t);
        if (!double.IsNaN(hour))
        {
            return hour;
        }

        var day = history.MeanIn(Math.Max(windowStart, t - Day), t);
        if (!double.IsNaN(day))
        {
            return day;
        }

        var last = history.LastObservedBefore(windowStart, t);
        return last < 0 ? double.NaN : history[last].Max;
    }

    /// <summary>
    /// The recent volatility of the series in log space, used to scale conformal scores so that calm periods
    /// get tight margins and turbulent ones wide margins: 0.005 plus the last day's volatility (of the window's
    /// part of it while the window is younger than a day; 0 with no neighbouring measured pair, so the scale is
    /// never zero). The last hour's volatility is left out: with half of it and half the day's, a replay of the
    /// backtest's forecasts had about 0.016 more slack ratio at 1 % and 2 % and 2 more changes a day (docs/backtest.md).
    /// </summary>
    public static double Scale(UsageHistory history, int windowStart, int t)
    {
        ArgumentNullException.ThrowIfNull(history);
        return MinScale + history.VolatilityIn(Math.Max(windowStart, t - Day), t);
    }

    private static double QuantileOf(UsageHistory history, int from, int to, double q)
    {
        var count = history.ObservedIn(from, to);
        if (count == 0)
        {
            return double.NaN;
        }

        var values = new double[count];
        var n = 0;
        for (var i = from; i < to; i++)
        {
            if (history.IsObserved(i))
            {
                values[n++] = history[i].Max;
            }
        }

        // A linear-time selection, not a sort: this runs for every training row.
        return Selection.Select(values, (int)Math.Min(values.Length - 1, Math.Floor(q * values.Length)));
    }

    private static float Trend(UsageHistory history, int windowStart, int t, int span, double epsilon)
    {
        var recent = history.MeanIn(Math.Max(windowStart, t - span), t);
        var before = history.MeanIn(Math.Max(windowStart, t - (2 * span)), Math.Max(windowStart, t - span));
        return double.IsNaN(recent) || double.IsNaN(before) ? Missing : (float)(Math.Log(recent + epsilon) - Math.Log(before + epsilon));
    }

    private static (double Peak, float Shape) Seasonal(UsageHistory history, int windowStart, int t, int lag, int horizon, double epsilon)
    {
        var from = t - lag;
        var to = from + Math.Min(horizon, lag);
        if (from < windowStart + 1)
        {
            return (double.NaN, Missing);
        }

        var peak = history.MaxIn(from, to);
        var then = Level(history, windowStart, from);
        var shape = double.IsNaN(peak) || double.IsNaN(then) ? Missing : (float)(Math.Log(peak + epsilon) - Math.Log(then + epsilon));
        return (peak, shape);
    }

    private static (float Max, float Mean) DailyPeaks(UsageHistory history, int windowStart, int t, int horizon, double epsilon, double logLevel)
    {
        var max = float.MinValue;
        var sum = 0.0;
        var days = 0;
        for (var d = 1; d <= 7; d++)
        {
            var from = t - (d * Day);
            if (from < windowStart)
            {
                break;
            }

            var peak = history.MaxIn(from, from + Math.Min(horizon, Day));
            if (double.IsNaN(peak))
            {
                continue;
            }

            var ratio = (float)(Math.Log(peak + epsilon) - logLevel);
            max = Math.Max(max, ratio);
            sum += ratio;
            days++;
        }

        return days == 0 ? (Missing, Missing) : (max, (float)(sum / days));
    }
}
