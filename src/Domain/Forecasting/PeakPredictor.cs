namespace Thoras.Domain.Forecasting;

/// <summary>
/// Holds one target's usage history, keeps the feature rows of every step, retrains the <see cref="PeakModel"/> on
/// the configured cadence (never every tick) and predicts the peak over the next horizon.
/// </summary>
public sealed class PeakPredictor
{
    private readonly ForecastSettings settings;
    private readonly List<UsageBlock> blocks = [];
    private readonly List<float[]?> features = [];

    /// <summary>Creates an empty predictor.</summary>
    public PeakPredictor(ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        this.settings = settings;
    }

    /// <summary>The history seen so far, oldest first.</summary>
    public IReadOnlyList<UsageBlock> Blocks => blocks;

    /// <summary>The current model, or null before the first training.</summary>
    public PeakModel? Model { get; private set; }

    /// <summary>When the current model was trained (the start of the first block it did not see).</summary>
    public DateTimeOffset? TrainedAt { get; private set; }

    /// <summary>The series' log offset; fixed at the first training so cached features stay valid.</summary>
    public double? Epsilon { get; private set; }

    /// <summary>Start of the next, not yet observed block.</summary>
    public DateTimeOffset NextStart => blocks.Count == 0 ? DateTimeOffset.MinValue : blocks[^1].Start + settings.Block;

    /// <summary>
    /// True once <see cref="ForecastSettings.MinLookback"/> of history exists and there is enough to train on (at
    /// least one horizon plus two blocks, which matters only when <c>min_lookback_to_scale</c> is shorter than that).
    /// </summary>
    public bool HasEnoughDataToScale => blocks.Count >= settings.HorizonBlocks + 2 && blocks.Count * settings.Block >= settings.MinLookback;

    /// <summary>True when there is no model or the last training is at least the retrain cadence old.</summary>
    public bool IsTrainingDue => Model is null || TrainedAt is not { } at || NextStart - at >= settings.RetrainEvery;

    /// <summary>Appends the next block; blocks must be contiguous (see <see cref="Downsampler"/>).</summary>
    public void Append(UsageBlock block)
    {
        if (blocks.Count > 0 && block.Start != NextStart)
        {
            throw new ArgumentException($"Block at {block.Start:O} is not the next one ({NextStart:O}); downsample first.", nameof(block));
        }

        blocks.Add(block);
        features.Add(null);
    }

    /// <summary>Adopts a model loaded from storage, with the offset and training time it was saved with.</summary>
    public void Adopt(PeakModel model, double epsilon, DateTimeOffset trainedAt)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Epsilon is { } current && current != epsilon)
        {
            for (var i = 0; i < features.Count; i++)
            {
                features[i] = null;
            }
        }

        Model = model;
        Epsilon = epsilon;
        TrainedAt = trainedAt;
    }

    /// <summary>
    /// Trains on the training window and returns held-out conformal scores (from a fit on the older three quarters,
    /// scored on the newest quarter at the forecast interval) for a calibrator that has none yet.
    /// </summary>
    /// <param name="withHoldoutScores">Whether to spend a second fit on held-out scores.</param>
    public IReadOnlyList<double> Train(bool withHoldoutScores)
    {
        if (blocks.Count < settings.HorizonBlocks + 2)
        {
            throw new InvalidOperationException("Too little history to train.");
        }

        Epsilon ??= ChooseEpsilon();
        var horizon = settings.HorizonBlocks;
        var windowBlocks = (int)(settings.TrainingWindow / settings.Block);
        var first = Math.Max(1, blocks.Count - windowBlocks);
        var last = blocks.Count - horizon;
        var rows = new List<float[]>(last - first + 1);
        var labels = new List<float>(last - first + 1);
        for (var t = first; t <= last; t++)
        {
            rows.Add(FeaturesAt(t));
            labels.Add(Label(t));
        }

        var holdout = new List<double>();
        var split = (int)(rows.Count * 0.75);
        if (withHoldoutScores && split >= 20 && rows.Count - split >= 10)
        {
            var partial = PeakModel.Train(rows[..split], labels[..split]);
            for (var t = first + split; t < blocks.Count; t += settings.IntervalBlocks)
            {
                var prediction = ToPrediction(t, partial.Predict(FeaturesAt(t)));
                for (var i = t; i < Math.Min(blocks.Count, t + settings.IntervalBlocks); i++)
                {
                    holdout.Add(prediction.Score(blocks[i].Max));
                }
            }
        }

        Model = PeakModel.Train(rows, labels);
        TrainedAt = NextStart;
        return holdout;
    }

    /// <summary>The highest block peak within the training window.</summary>
    public double RecentPeak()
    {
        var windowBlocks = (int)(settings.TrainingWindow / settings.Block);
        var peak = 0.0;
        for (var i = Math.Max(0, blocks.Count - windowBlocks); i < blocks.Count; i++)
        {
            peak = Math.Max(peak, blocks[i].Max);
        }

        return peak;
    }

    /// <summary>The highest block peak among the latest <paramref name="count"/> blocks (0 with no history).</summary>
    public double LatestPeak(int count)
    {
        var peak = 0.0;
        for (var i = Math.Max(0, blocks.Count - count); i < blocks.Count; i++)
        {
            peak = Math.Max(peak, blocks[i].Max);
        }

        return peak;
    }

    /// <summary>Predicts the peak over the horizon starting at the next, unseen block.</summary>
    public PeakPrediction Predict()
    {
        if (Model is null)
        {
            throw new InvalidOperationException("Train or adopt a model before predicting.");
        }

        var t = blocks.Count;
        return ToPrediction(t, Model.Predict(FeaturesAt(t)));
    }

    /// <summary>The feature row of step <paramref name="t"/> (cached; step <c>Blocks.Count</c> is the next one).</summary>
    public float[] FeaturesAt(int t)
    {
        var epsilon = Epsilon ?? throw new InvalidOperationException("The offset is chosen at the first training.");
        if (t < features.Count && features[t] is { } cached)
        {
            return cached;
        }

        var row = new float[FeatureBuilder.Count];
        FeatureBuilder.Build(blocks, t, StartOf(t), settings.HorizonBlocks, epsilon, row);
        if (t < features.Count)
        {
            // Step t's features only depend on blocks before t, so once block t exists they never change.
            features[t] = row;
        }

        return row;
    }

    private PeakPrediction ToPrediction(int t, float score)
    {
        var epsilon = Epsilon!.Value;
        var logLevel = Math.Log(FeatureBuilder.Level(blocks, t) + epsilon);
        return new PeakPrediction(logLevel + score, FeatureBuilder.Scale(blocks, t, epsilon), epsilon);
    }

    private float Label(int t)
    {
        var epsilon = Epsilon!.Value;
        var peak = double.MinValue;
        for (var i = t; i < t + settings.HorizonBlocks; i++)
        {
            peak = Math.Max(peak, blocks[i].Max);
        }

        return (float)(Math.Log(peak + epsilon) - Math.Log(FeatureBuilder.Level(blocks, t) + epsilon));
    }

    private DateTimeOffset StartOf(int t) => blocks[0].Start + (t * settings.Block);

    /// <summary>One percent of the typical level so far: small against real usage, large against float noise.</summary>
    private double ChooseEpsilon()
    {
        var mean = blocks.Average(b => Math.Abs(b.Max));
        var max = blocks.Max(b => Math.Abs(b.Max));
        return Math.Max(Math.Max(0.01 * mean, 1e-4 * max), 1e-9);
    }
}
