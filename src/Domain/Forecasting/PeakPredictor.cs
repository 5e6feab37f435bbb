namespace Thoras.Domain.Forecasting;

/// <summary>
/// The point-forecast step: holds one series' usage history, retrains the <see cref="PeakModel"/> on the configured
/// cadence (never every tick) on the last training window, and predicts the peak over the next horizon. Features and
/// labels read only the training window before the step, which is exactly what the app keeps in storage, so the
/// backtest and the app predict the same from the same usage. Gaps are missing, never usage.
/// </summary>
public sealed class PeakPredictor
{
    /// <summary>The share of training rows the held-out fit is trained on; the rest seeds the calibrator.</summary>
    private const double HoldoutSplit = 0.75;

    private readonly ForecastSettings settings;
    private readonly UsageHistory history = new();

    /// <summary>Creates an empty predictor.</summary>
    public PeakPredictor(ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        this.settings = settings;
    }

    /// <summary>The history seen so far, oldest first.</summary>
    public IReadOnlyList<UsageBlock> Blocks => history.Blocks;

    /// <summary>The history with its running sums.</summary>
    public UsageHistory History => history;

    /// <summary>The current model, or null before the first training.</summary>
    public PeakModel? Model { get; private set; }

    /// <summary>When the current model was trained (the start of the first block it did not see).</summary>
    public DateTimeOffset? TrainedAt { get; private set; }

    /// <summary>The series' log offset; fixed at the first training so scores stay comparable.</summary>
    public double? Epsilon => history.Epsilon;

    /// <summary>Start of the next, not yet observed block.</summary>
    public DateTimeOffset NextStart => history.Count == 0 ? DateTimeOffset.MinValue : history[^1].Start + UsageSeries.Block;

    /// <summary>How many blocks the training window holds.</summary>
    public int WindowBlocks => Math.Max(1, (int)(settings.TrainingWindow / UsageSeries.Block));

    /// <summary>
    /// True once <see cref="ForecastSettings.MinLookback"/> of history exists, there is enough to train on (at
    /// least one horizon plus two blocks, which matters only when <c>min_lookback_to_scale</c> is shorter than that)
    /// and the training window holds at least one measured block.
    /// </summary>
    public bool HasEnoughDataToScale =>
        history.Count >= settings.HorizonBlocks + 2
        && history.Count * UsageSeries.Block >= settings.MinLookback
        && history.ObservedIn(WindowStart, history.Count) > 0;

    /// <summary>True when there is no model or the last training is at least the retrain cadence old.</summary>
    public bool IsTrainingDue => Model is null || TrainedAt is not { } at || NextStart - at >= settings.RetrainEvery;

    /// <summary>The oldest block the next forecast may read.</summary>
    private int WindowStart => Math.Max(0, history.Count - WindowBlocks);

    /// <summary>Appends the next block; blocks must be contiguous (see <see cref="Downsampler"/>).</summary>
    public void Append(UsageBlock block)
    {
        if (history.Count > 0 && block.Start != NextStart)
        {
            throw new ArgumentException($"Block at {block.Start:O} is not the next one ({NextStart:O}); downsample first.", nameof(block));
        }

        history.Append(block);
    }

    /// <summary>Adopts a model loaded from storage, with the offset and training time it was saved with.</summary>
    public void Adopt(PeakModel model, double epsilon, DateTimeOffset trainedAt)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        history.UseEpsilon(epsilon);
        TrainedAt = trainedAt;
    }

    /// <summary>
    /// Trains on the training window and returns held-out conformal scores (from a fit on the older three quarters,
    /// scored on the newest quarter at the forecast interval) for a calibrator that has none yet.
    /// </summary>
    /// <param name="withHoldoutScores">Whether to spend a second fit on held-out scores.</param>
    public IReadOnlyList<double> Train(bool withHoldoutScores)
    {
        if (history.Count < settings.HorizonBlocks + 2)
        {
            throw new InvalidOperationException("Too little history to train.");
        }

        var windowStart = WindowStart;
        if (history.Epsilon is null)
        {
            history.UseEpsilon(ChooseEpsilon(windowStart));
        }

        var horizon = settings.HorizonBlocks;
        var rows = new List<float[]>();
        var labels = new List<float>();
        var steps = new List<int>();
        for (var t = windowStart + 1; t <= history.Count - horizon; t++)
        {
            var row = new float[FeatureBuilder.Count];
            if (Label(windowStart, t) is { } label && FeatureBuilder.Build(history, windowStart, t, StartOf(t), horizon, row))
            {
                rows.Add(row);
                labels.Add(label);
                steps.Add(t);
            }
        }

        if (rows.Count == 0)
        {
            throw new InvalidOperationException("The training window holds no measured usage to train on.");
        }

        var holdout = new List<double>();
        var split = (int)(rows.Count * HoldoutSplit);
        if (withHoldoutScores && split >= 20 && rows.Count - split >= 10)
        {
            var partial = PeakModel.Train(rows[..split], labels[..split]);
            var row = new float[FeatureBuilder.Count];
            for (var t = steps[split]; t < history.Count; t += settings.IntervalBlocks)
            {
                if (!FeatureBuilder.Build(history, windowStart, t, StartOf(t), horizon, row))
                {
                    continue;
                }

                var prediction = ToPrediction(windowStart, t, partial.Predict(row));
                for (var i = t; i < Math.Min(history.Count, t + settings.IntervalBlocks); i++)
                {
                    if (history.IsObserved(i))
                    {
                        holdout.Add(prediction.Score(history[i].Max));
                    }
                }
            }
        }

        Model = PeakModel.Train(rows, labels);
        TrainedAt = NextStart;
        return holdout;
    }

    /// <summary>The highest measured block peak within the training window (0 with none).</summary>
    public double RecentPeak() => Peak(WindowStart);

    /// <summary>The highest measured block peak among the latest <paramref name="count"/> blocks (0 with none).</summary>
    public double LatestPeak(int count) => Peak(Math.Max(0, history.Count - count));

    /// <summary>Predicts the peak over the horizon starting at the next, unseen block.</summary>
    public PeakPrediction Predict()
    {
        if (Model is null)
        {
            throw new InvalidOperationException("Train or adopt a model before predicting.");
        }

        var t = history.Count;
        var row = new float[FeatureBuilder.Count];
        if (!FeatureBuilder.Build(history, WindowStart, t, StartOf(t), settings.HorizonBlocks, row))
        {
            throw new InvalidOperationException("The training window holds no measured usage to predict from.");
        }

        return ToPrediction(WindowStart, t, Model.Predict(row));
    }

    private double Peak(int from)
    {
        var peak = history.MaxIn(from, history.Count);
        return double.IsNaN(peak) ? 0 : peak;
    }

    private PeakPrediction ToPrediction(int windowStart, int t, float score)
    {
        var epsilon = history.Epsilon!.Value;
        var logLevel = Math.Log(FeatureBuilder.Level(history, windowStart, t) + epsilon);
        return new PeakPrediction(logLevel + score, FeatureBuilder.Scale(history, windowStart, t), epsilon);
    }

    /// <summary>The log ratio of the horizon's measured peak to the level before it; null when the horizon is all gap.</summary>
    private float? Label(int windowStart, int t)
    {
        var peak = history.MaxIn(t, t + settings.HorizonBlocks);
        var level = FeatureBuilder.Level(history, windowStart, t);
        if (double.IsNaN(peak) || double.IsNaN(level))
        {
            return null;
        }

        var epsilon = history.Epsilon!.Value;
        return (float)(Math.Log(peak + epsilon) - Math.Log(level + epsilon));
    }

    private DateTimeOffset StartOf(int t) => history[0].Start + (t * UsageSeries.Block);

    /// <summary>One percent of the typical measured level: small against real usage, large against float noise.</summary>
    private double ChooseEpsilon(int windowStart)
    {
        var mean = 0.0;
        var max = 0.0;
        var count = 0;
        for (var i = windowStart; i < history.Count; i++)
        {
            if (history.IsObserved(i))
            {
                var value = Math.Abs(history[i].Max);
                mean += value;
                max = Math.Max(max, value);
                count++;
            }
        }

        mean = count == 0 ? 0 : mean / count;
        return Math.Max(Math.Max(0.01 * mean, 1e-4 * max), 1e-9);
    }
}
