using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Thoras.Domain.Forecasting;

namespace Thoras.Domain.Recommendation;

/// <summary>
/// The recommender of one series (a container's CPU or memory, or a target's total CPU), as the app and the backtest
/// run it: the pipeline's steps composed in one place. Observe each usage block; ask for a bound every forecast
/// interval:
/// <list type="number">
/// <item>point forecast of the horizon's peak (<see cref="PeakPredictor"/>, retrained on its cadence);</item>
/// <item>calibrated bound (<see cref="ConformalState"/>);</item>
/// <item>recent-peak cap and floor (<see cref="PeakGuard"/>);</item>
/// <item>change policy (<see cref="ChangePolicy"/>): the bound that is published and that misses are counted against;</item>
/// <item>buffer (<see cref="ForecastBuffer"/>).</item>
/// </list>
/// The tail (quantize, the spec's bounds, the limit policy, the OOM floor) turns the bound into resources.
/// </summary>
/// <example>
/// <code>
/// var recommender = new SeriesRecommender(new ForecastSettings { RiskTarget = 0.02 });
/// foreach (var block in Downsampler.Downsample(samples)) recommender.Observe(block);
/// var forecast = recommender.Recommend();   // forecast.Suggestion is null until min_lookback_to_scale
/// </code>
/// </example>
public sealed class SeriesRecommender
{
    /// <summary>5: the saved conformal scores and scale are in units of the last day's volatility only.</summary>
    private const int StateVersion = 5;
    private const int ModelHeader = sizeof(int) + sizeof(double) + sizeof(long) + sizeof(long);
    private readonly ForecastSettings settings;
    private readonly PeakPredictor predictor;
    private readonly RecommenderLane[] lanes;

    /// <summary>Creates a recommender with no history for <see cref="ForecastSettings.RiskTarget"/>.</summary>
    public SeriesRecommender(ForecastSettings settings)
        : this(settings, [])
    {
    }

    /// <summary>
    /// Creates a recommender that also calibrates for <paramref name="otherRiskTargets"/> with the same model, for
    /// comparing risk levels (the backtest's sweep); see <see cref="RecommendEach"/>.
    /// </summary>
    public SeriesRecommender(ForecastSettings settings, IEnumerable<double> otherRiskTargets)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(otherRiskTargets);
        predictor = new PeakPredictor(settings);
        this.settings = settings;
        var capacity = CalibrationCapacity(settings);
        lanes = otherRiskTargets.Prepend(settings.RiskTarget)
            .Select(risk => new RecommenderLane(ConformalState.Start(risk, capacity), ChangeState.Initial(settings.Change), null))
            .ToArray();
    }

    /// <summary>The point-forecast step (history, model).</summary>
    public PeakPredictor Predictor => predictor;

    /// <summary>The state of each risk target: the forecaster's first, then the others in the order given.</summary>
    public IReadOnlyList<RecommenderLane> Lanes => lanes;

    /// <summary>How many scores a calibration keeps for these settings.</summary>
    public static int CalibrationCapacity(ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Math.Max(1, (int)(settings.CalibrationWindow / UsageSeries.Block));
    }

    /// <summary>
    /// Records the next usage block (contiguous with the previous one) and, when it was measured and a bound was in
    /// force for it, scores it against that bound. A gap is never scored.
    /// </summary>
    public void Observe(UsageBlock block)
    {
        predictor.Append(block);
        if (block.Count == 0)
        {
            return;
        }

        for (var i = 0; i < lanes.Length; i++)
        {
            if (lanes[i].InForce is { } decision && decision.Covers(block.Start))
            {
                lanes[i] = lanes[i] with { Conformal = lanes[i].Conformal.Observe(decision.Prediction, decision.Bound, block.Max) };
            }
        }
    }

    /// <summary>The bound for the interval starting at the next, unseen block. Retrains first when due.</summary>
    public Forecast Recommend() => RecommendEach()[0];

    /// <summary>
    /// The bounds for the next interval at the forecaster's risk target first, then at each other risk target given
    /// to the constructor, all from one prediction.
    /// </summary>
    public IReadOnlyList<Forecast> RecommendEach()
    {
        var at = predictor.NextStart;
        if (!predictor.HasEnoughDataToScale)
        {
            return lanes.Select(_ => Forecast.NotEnoughData(at)).ToArray();
        }

        if (predictor.IsTrainingDue)
        {
            var holdout = predictor.Train(withHoldoutScores: lanes.Any(l => l.Conformal.ScoreCount == 0));
            for (var i = 0; i < lanes.Length; i++)
            {
                if (lanes[i].Conformal.ScoreCount == 0)
                {
                    lanes[i] = lanes[i] with { Conformal = lanes[i].Conformal.Seed(holdout) };
                }
            }
        }

        var prediction = predictor.Predict();
        var windowPeak = predictor.RecentPeak();
        var latestPeak = predictor.LatestPeak(PeakGuard.FloorBlocks);
        var forecasts = new Forecast[lanes.Length];
        for (var i = 0; i < lanes.Length; i++)
        {
            var lane = lanes[i];
            var calibrated = lane.Conformal.Bound(prediction);
            var guarded = PeakGuard.Apply(calibrated, windowPeak, latestPeak, lane.Conformal.RiskTarget);
            var decision = ChangePolicy.Decide(lane.Change, guarded, at, settings.Change);
            var published = ForecastBuffer.Apply(decision.Bound, settings.BufferPercentage);
            lanes[i] = lane with { Change = decision.Next, InForce = new BoundInForce(prediction, decision.Bound, at, at + (settings.IntervalBlocks * UsageSeries.Block)) };
            forecasts[i] = new Forecast(at, true, prediction.Peak, published, decision.Changed);
        }

        return forecasts;
    }

    /// <summary>
    /// Writes the learned state so the next tick continues exactly where this one stopped; the usage itself is stored
    /// separately. Two sections, in this order: the <b>model</b> (version, offset, training time, the trees), which
    /// changes only when the model is retrained, then the <b>memory</b> (the last block seen and the first risk
    /// target's calibration, change policy and bound in force), which changes after every forecast. A store may keep
    /// them apart (<see cref="ModelSectionLength"/>) and rewrite the model only when it changed.
    /// </summary>
    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (predictor.Model is null || predictor.Epsilon is not { } epsilon || predictor.TrainedAt is not { } trainedAt)
        {
            throw new InvalidOperationException("There is no trained model to save.");
        }

        using var model = new MemoryStream();
        predictor.Model.Save(model);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(StateVersion);
        writer.Write(epsilon);
        writer.Write(trainedAt.UtcTicks);
        writer.Write(model.Length);
        writer.Write(model.GetBuffer(), 0, (int)model.Length);
        writer.Write(predictor.NextStart.UtcTicks);
        RecommenderStateFormat.WriteLane(writer, lanes[0]);
    }

    /// <summary>
    /// The length of the model section at the start of a state written by <see cref="SaveState"/>: the bytes that stay
    /// the same from one forecast to the next until the model is retrained. A state this version did not write is
    /// all one section (its whole length).
    /// </summary>
    public static int ModelSectionLength(ReadOnlySpan<byte> state)
    {
        if (state.Length < ModelHeader || BinaryPrimitives.ReadInt32LittleEndian(state) != StateVersion)
        {
            return state.Length;
        }

        var model = BinaryPrimitives.ReadInt64LittleEndian(state[(ModelHeader - sizeof(long))..]);
        return model >= 0 && model <= state.Length - ModelHeader ? ModelHeader + (int)model : state.Length;
    }

    /// <summary>
    /// Restores a recommender from <see cref="SaveState"/> and the stored usage: blocks it had seen are appended,
    /// newer ones are observed (scored against the bound that was in force).
    /// </summary>
    /// <exception cref="InvalidDataException">The state is of another version; rebuild from the usage instead.</exception>
    public static SeriesRecommender LoadState(Stream stream, ForecastSettings settings, IEnumerable<UsageBlock> history)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(history);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var version = reader.ReadInt32();
        if (version != StateVersion)
        {
            throw new InvalidDataException(string.Format(CultureInfo.InvariantCulture, "Forecaster state version {0} is not {1}; the model is rebuilt from the stored usage.", version, StateVersion));
        }

        var epsilon = reader.ReadDouble();
        var trainedAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
        using var model = new MemoryStream(reader.ReadBytes((int)reader.ReadInt64()));
        var seenUntil = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
        var recommender = new SeriesRecommender(settings);
        recommender.predictor.Adopt(PeakModel.Load(model), epsilon, trainedAt);
        recommender.lanes[0] = RecommenderStateFormat.ReadLane(reader, settings.RiskTarget, CalibrationCapacity(settings));
        foreach (var block in history)
        {
            if (block.Start < seenUntil)
            {
                recommender.predictor.Append(block);
            }
            else
            {
                recommender.Observe(block);
            }
        }

        return recommender;
    }
}

/// <summary>The state of one risk target: its calibration, its change policy and the bound in force.</summary>
public sealed record RecommenderLane(ConformalState Conformal, ChangeState Change, BoundInForce? InForce);

/// <summary>The bound published for [<paramref name="From"/>, <paramref name="Until"/>) and the prediction it came from: what those blocks are scored against.</summary>
public sealed record BoundInForce(PeakPrediction Prediction, double Bound, DateTimeOffset From, DateTimeOffset Until)
{
    /// <summary>Whether the block starting at <paramref name="blockStart"/> falls in the interval.</summary>
    public bool Covers(DateTimeOffset blockStart) => blockStart >= From && blockStart < Until;
}
