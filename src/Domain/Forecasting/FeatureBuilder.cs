namespace Thoras.Domain.Forecasting;

/// <summary>
/// Builds the model's inputs for the step at block index <c>t</c> from blocks strictly before <c>t</c> only, so a
/// forecast never sees the usage it predicts. Usage enters as log ratios to a robust recent level (the mean of the
/// last hour's block peaks), which makes one model shape fit any unit and scale.
/// </summary>
public static class FeatureBuilder
{
    /// <summary>Number of features per row.</summary>
    public const int Count = 24;

    /// <summary>Blocks per hour, day and week at the 5-minute block length the windows are expressed in.</summary>
    private const int Hour = 12;
    private const int SixHours = 72;
    private const int Day = 288;
    private const int Week = 2016;

    /// <summary>
    /// Writes the features of step <paramref name="t"/> into <paramref name="destination"/>. Reads only
    /// <c>blocks[0..t)</c>; <paramref name="t"/> may equal <c>blocks.Count</c> (the next, unseen step).
    /// </summary>
    /// <param name="blocks">The usage history, contiguous blocks.</param>
    /// <param name="t">The step being forecast; at least 1.</param>
    /// <param name="stepStart">Start time of step <paramref name="t"/> (for time of day and day of week).</param>
    /// <param name="horizonBlocks">How many blocks the forecast peak covers.</param>
    /// <param name="epsilon">A small positive offset of the series' scale, so zero usage has a finite logarithm.</param>
    /// <param name="destination">At least <see cref="Count"/> floats.</param>
    public static void Build(IReadOnlyList<UsageBlock> blocks, int t, DateTimeOffset stepStart, int horizonBlocks, double epsilon, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (t < 1 || t > blocks.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, "The step needs at least one block of history and at most the next unseen block.");
        }

        var level = Level(blocks, t);
        var logLevel = Math.Log(level + epsilon);
        float Ratio(double x) => (float)(Math.Log(x + epsilon) - logLevel);

        destination[0] = Ratio(blocks[t - 1].Max);
        destination[1] = Ratio(blocks[t - 1].Mean);
        destination[2] = Ratio(MaxOf(blocks, t - 3, t));
        destination[3] = Ratio(MaxOf(blocks, t - Hour, t));
        destination[4] = Ratio(MaxOf(blocks, t - SixHours, t));
        destination[5] = Ratio(MaxOf(blocks, t - Day, t));
        destination[6] = Ratio(MeanOf(blocks, t - SixHours, t));
        destination[7] = Ratio(MeanOf(blocks, t - Day, t));
        destination[8] = Ratio(QuantileOf(blocks, t - Day, t, 0.95));

        // The same horizon a day and a week ago, both against today's level and against the level back then.
        var (dayPeak, dayShape, hasDay) = Seasonal(blocks, t, Day, horizonBlocks, epsilon);
        var (weekPeak, weekShape, hasWeek) = Seasonal(blocks, t, Week, horizonBlocks, epsilon);
        destination[9] = hasDay ? Ratio(dayPeak) : 0f;
        destination[10] = dayShape;
        destination[11] = hasWeek ? Ratio(weekPeak) : 0f;
        destination[12] = weekShape;
        destination[13] = hasDay ? 1f : 0f;
        destination[14] = hasWeek ? 1f : 0f;

        var timeOfDay = stepStart.UtcDateTime.TimeOfDay.TotalDays;
        destination[15] = (float)Math.Sin(2 * Math.PI * timeOfDay);
        destination[16] = (float)Math.Cos(2 * Math.PI * timeOfDay);
        destination[17] = (float)stepStart.UtcDateTime.DayOfWeek;

        destination[18] = (float)(Math.Log(MeanOf(blocks, t - Hour, t) + epsilon) - Math.Log(MeanOf(blocks, t - 2 * Hour, t - Hour) + epsilon));
        destination[19] = (float)(Math.Log(MeanOf(blocks, t - SixHours, t) + epsilon) - Math.Log(MeanOf(blocks, t - 2 * SixHours, t - SixHours) + epsilon));
        destination[20] = (float)Volatility(blocks, t, Hour, epsilon);
        destination[21] = (float)Volatility(blocks, t, Day, epsilon);

        // The highest and the typical peak of this horizon over the past week's days: daily patterns that repeat.
        var (maxDaily, meanDaily) = DailyPeaks(blocks, t, horizonBlocks, epsilon, logLevel);
        destination[22] = maxDaily;
        destination[23] = meanDaily;
    }

    /// <summary>The robust recent level the features and the label are relative to: mean of the last hour's block peaks.</summary>
    public static double Level(IReadOnlyList<UsageBlock> blocks, int t) => MeanOf(blocks, t - Hour, t);

    /// <summary>
    /// The recent volatility of the series in log space, used to scale conformal scores so that calm periods
    /// get tight margins and turbulent ones wide margins.
    /// </summary>
    public static double Scale(IReadOnlyList<UsageBlock> blocks, int t, double epsilon) =>
        0.005 + (0.5 * Volatility(blocks, t, Hour, epsilon)) + (0.5 * Volatility(blocks, t, Day, epsilon));

    private static double MaxOf(IReadOnlyList<UsageBlock> blocks, int from, int to)
    {
        var max = double.MinValue;
        for (var i = Math.Max(0, from); i < to; i++)
        {
            max = Math.Max(max, blocks[i].Max);
        }

        return max;
    }

    private static double MeanOf(IReadOnlyList<UsageBlock> blocks, int from, int to)
    {
        from = Math.Max(0, from);
        if (to <= from)
        {
            return blocks[0].Max;
        }

        var sum = 0.0;
        for (var i = from; i < to; i++)
        {
            sum += blocks[i].Max;
        }

        return sum / (to - from);
    }

    private static double QuantileOf(IReadOnlyList<UsageBlock> blocks, int from, int to, double q)
    {
        from = Math.Max(0, from);
        var values = new double[to - from];
        for (var i = from; i < to; i++)
        {
            values[i - from] = blocks[i].Max;
        }

        // A linear-time selection, not a sort: this runs for every training row.
        return ConformalCalibrator.Select(values, (int)Math.Min(values.Length - 1, Math.Floor(q * values.Length)));
    }

    private static double Volatility(IReadOnlyList<UsageBlock> blocks, int t, int window, double epsilon)
    {
        var from = Math.Max(1, t - window);
        if (t <= from)
        {
            return 0;
        }

        var sum = 0.0;
        for (var i = from; i < t; i++)
        {
            sum += Math.Abs(Math.Log(blocks[i].Max + epsilon) - Math.Log(blocks[i - 1].Max + epsilon));
        }

        return sum / (t - from);
    }

    private static (double Peak, float Shape, bool Has) Seasonal(IReadOnlyList<UsageBlock> blocks, int t, int lag, int horizon, double epsilon)
    {
        var from = t - lag;
        var to = from + Math.Min(horizon, lag);
        if (from < 1 || to > t)
        {
            return (0, 0f, false);
        }

        var peak = MaxOf(blocks, from, to);
        var shape = (float)(Math.Log(peak + epsilon) - Math.Log(Level(blocks, from) + epsilon));
        return (peak, shape, true);
    }

    private static (float Max, float Mean) DailyPeaks(IReadOnlyList<UsageBlock> blocks, int t, int horizon, double epsilon, double logLevel)
    {
        var max = float.MinValue;
        var sum = 0.0;
        var days = 0;
        for (var d = 1; d <= 7; d++)
        {
            var from = t - (d * Day);
            var to = from + Math.Min(horizon, Day);
            if (from < 0)
            {
                break;
            }

            var ratio = (float)(Math.Log(MaxOf(blocks, from, to) + epsilon) - logLevel);
            max = Math.Max(max, ratio);
            sum += ratio;
            days++;
        }

        return days == 0 ? (0f, 0f) : (max, (float)(sum / days));
    }
}
