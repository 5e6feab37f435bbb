namespace Thoras.Domain.Forecasting;

/// <summary>
/// Turns a point forecast into an upper bound that usage exceeds in about the risk target's share of intervals.
/// Split-conformal: the margin is a quantile of recent out-of-sample scores (observed usage versus the forecast
/// that was in force, in units of recent volatility), so it works with any model. Adaptive: the quantile level
/// is nudged after every interval toward the realised miss rate, which keeps calibration under drift.
/// </summary>
public sealed class ConformalCalibrator
{
    /// <summary>
    /// Step of the adaptive level per observed interval (Gibbs and Candès' γ). 0.004 tracks regime changes within
    /// about a day at 5-minute blocks; on the shared traces it lowered the deficit at 1 % without costing slack.
    /// </summary>
    public const double DefaultAdaptationRate = 0.004;

    /// <summary>Margin, in scales, used before any score has been seen.</summary>
    private const double UncalibratedThreshold = 4.0;

    private readonly double riskTarget;
    private readonly double adaptationRate;
    private readonly int capacity;
    private readonly double hysteresisBand;
    private readonly Queue<double> scores = new();
    private Decision? pending;

    /// <summary>
    /// Creates a calibrator for <paramref name="riskTarget"/> keeping the last <paramref name="capacity"/> scores;
    /// with a <paramref name="hysteresisBand"/> a new bound that is at most that fraction below the bound in force
    /// keeps the bound in force (see <see cref="Hysteresis"/>).
    /// </summary>
    public ConformalCalibrator(double riskTarget, int capacity, double adaptationRate = DefaultAdaptationRate, double hysteresisBand = 0)
    {
        if (riskTarget is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(riskTarget), riskTarget, "The risk target must be strictly between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ = Hysteresis.Hold(null, 0, hysteresisBand);
        this.hysteresisBand = hysteresisBand;
        this.riskTarget = riskTarget;
        this.capacity = capacity;
        this.adaptationRate = adaptationRate;
        AdaptiveRisk = riskTarget;
    }

    /// <summary>The risk target this calibrator aims at.</summary>
    public double RiskTarget => riskTarget;

    /// <summary>The quantile level currently used (1 − this); starts at the risk target and tracks misses.</summary>
    public double AdaptiveRisk { get; private set; }

    /// <summary>The bound last returned by <see cref="Bound"/> (before any buffer), or null before the first.</summary>
    public double? LastBound { get; private set; }

    /// <summary>The out-of-sample scores currently held, oldest first.</summary>
    public IReadOnlyCollection<double> Scores => scores;

    /// <summary>Adds scores from a held-out fit, used when the calibrator has none of its own yet.</summary>
    public void Seed(IEnumerable<double> seedScores)
    {
        ArgumentNullException.ThrowIfNull(seedScores);
        foreach (var score in seedScores)
        {
            Add(score);
        }
    }

    /// <summary>Restores the adaptive level, scores and (for hysteresis) the bound in force saved from a calibrator.</summary>
    public void Restore(double adaptiveRisk, IEnumerable<double> savedScores, double? lastBound = null)
    {
        AdaptiveRisk = adaptiveRisk;
        LastBound = lastBound;
        Seed(savedScores);
    }

    /// <summary>
    /// The current margin in scales: the finite-sample-corrected (1 − adaptive risk) quantile of the held scores.
    /// </summary>
    public double Threshold()
    {
        if (scores.Count == 0)
        {
            return UncalibratedThreshold;
        }

        var n = scores.Count;
        var rank = (int)Math.Ceiling((n + 1) * (1 - Math.Clamp(AdaptiveRisk, 0, 1)));
        var sorted = scores.ToArray();
        if (rank > n)
        {
            // Asked for more confidence than the sample supports: the worst score seen is the best estimate.
            return sorted.Max();
        }

        return Select(sorted, Math.Max(1, rank) - 1);
    }

    /// <summary>
    /// The calibrated upper bound, at most <paramref name="cap"/> and at least <paramref name="floor"/> (when the
    /// floor is below the cap), for the intervals starting at block <paramref name="fromIndex"/>, held at the bound in
    /// force within the hysteresis band; remembers it so the next <paramref name="intervalBlocks"/> observed blocks
    /// are scored against the prediction and counted as misses against the bound actually applied.
    /// </summary>
    public double Bound(PeakPrediction prediction, int fromIndex, int intervalBlocks, double cap = double.PositiveInfinity, double floor = 0)
    {
        var calibrated = Math.Min(prediction.At(Threshold()), cap);
        if (floor <= cap)
        {
            calibrated = Math.Max(calibrated, floor);
        }

        var bound = LastBound is { } held && held <= cap ? Hysteresis.Hold(held, calibrated, hysteresisBand) : calibrated;
        LastBound = bound;
        pending = new Decision(prediction, fromIndex, fromIndex + intervalBlocks, bound);
        return bound;
    }

    /// <summary>Scores the usage of block <paramref name="index"/> if a bound was in force for it.</summary>
    public void Observe(int index, double used)
    {
        if (pending is not { } decision || index < decision.From || index >= decision.To)
        {
            return;
        }

        var score = decision.Prediction.Score(used);
        var missed = used > decision.Bound ? 1.0 : 0.0;
        AdaptiveRisk = Math.Clamp(AdaptiveRisk + (adaptationRate * (riskTarget - missed)), riskTarget / 20, Math.Min(0.5, riskTarget * 5));
        Add(score);
    }

    private void Add(double score)
    {
        scores.Enqueue(score);
        while (scores.Count > capacity)
        {
            scores.Dequeue();
        }
    }

    /// <summary>Hoare's selection: the k-th smallest (0-based) in linear expected time; reorders the array.</summary>
    internal static double Select(double[] values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (left < right)
        {
            var pivot = values[(left + right) >>> 1];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }

    private readonly record struct Decision(PeakPrediction Prediction, int From, int To, double Bound);
}
