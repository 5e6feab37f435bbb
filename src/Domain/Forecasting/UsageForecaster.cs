using System.Globalization;
using System.Text;

namespace Thoras.Domain.Forecasting;

/// <summary>
/// The forecaster of one target and resource, as the app and the backtest run it: observe each usage block, ask
/// for a suggestion every forecast interval. Retrains on the cadence, calibrates to the risk target, adds the buffer.
/// </summary>
/// <example>
/// <code>
/// var forecaster = new UsageForecaster(new ForecastSettings { RiskTarget = RiskTarget.For(ModelMode.Balanced) });
/// foreach (var block in Downsampler.Downsample(samples, Downsampler.DefaultBlock)) forecaster.Observe(block);
/// var forecast = forecaster.Suggest();   // forecast.Suggestion is null until min_lookback_to_scale
/// </code>
/// </example>
public sealed class UsageForecaster
{
    /// <summary>
    /// The bound never exceeds the training window's peak by more than this factor: on spiky series a wide log-space
    /// margin would otherwise ask for far more than was ever used. A new peak raises the cap at once (and an OOM kill
    /// raises memory through the OOM floor), so a growing workload is followed within one interval.
    /// </summary>
    public const double PeakCapFactor = 1.05;

    /// <summary>
    /// At risk targets up to <see cref="RecentFloorMaxRisk"/>, the bound is never below this share of the highest
    /// block of the last <see cref="RecentFloorBlocks"/>: usage just reached is not given away on one calm forecast.
    /// </summary>
    public const double RecentFloorFactor = 0.95;

    /// <summary>How many of the latest blocks the recent-peak floor looks at (15 minutes at 5-minute blocks).</summary>
    public const int RecentFloorBlocks = 3;

    /// <summary>The highest risk target the recent-peak floor applies to: balanced and safer modes.</summary>
    public const double RecentFloorMaxRisk = 0.02;

    private const int StateVersion = 2;
    private readonly ForecastSettings settings;
    private readonly PeakPredictor predictor;
    private readonly ConformalCalibrator calibrator;
    private readonly ConformalCalibrator[] calibrators;

    /// <summary>Creates a forecaster with no history for <see cref="ForecastSettings.RiskTarget"/>.</summary>
    public UsageForecaster(ForecastSettings settings)
        : this(settings, [])
    {
    }

    /// <summary>
    /// Creates a forecaster that also calibrates for <paramref name="otherRiskTargets"/> with the same model, for
    /// comparing risk levels (the backtest's sweep); see <see cref="SuggestEach"/>.
    /// </summary>
    public UsageForecaster(ForecastSettings settings, IEnumerable<double> otherRiskTargets)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(otherRiskTargets);
        predictor = new PeakPredictor(settings);
        this.settings = settings;
        var capacity = CalibrationCapacity(settings);
        calibrators = otherRiskTargets.Prepend(settings.RiskTarget).Select(risk => new ConformalCalibrator(risk, capacity, hysteresisBand: settings.HysteresisBand)).ToArray();
        calibrator = calibrators[0];
    }

    /// <summary>The predictor (history, model) behind the forecaster.</summary>
    public PeakPredictor Predictor => predictor;

    /// <summary>The calibrator behind the forecaster.</summary>
    public ConformalCalibrator Calibrator => calibrator;

    /// <summary>How many scores a calibrator keeps for these settings.</summary>
    public static int CalibrationCapacity(ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Math.Max(1, (int)(settings.CalibrationWindow / settings.Block));
    }

    /// <summary>Records the next usage block (contiguous with the previous one).</summary>
    public void Observe(UsageBlock block)
    {
        predictor.Append(block);
        foreach (var each in calibrators)
        {
            each.Observe(predictor.Blocks.Count - 1, block.Max);
        }
    }

    /// <summary>The suggestion for the interval starting at the next, unseen block. Retrains first when due.</summary>
    public Forecast Suggest() => SuggestEach()[0];

    /// <summary>
    /// The suggestions for the next interval at the forecaster's risk target first, then at each other risk target
    /// given to the constructor, all from one prediction.
    /// </summary>
    public IReadOnlyList<Forecast> SuggestEach()
    {
        var at = predictor.NextStart;
        if (!predictor.HasEnoughDataToScale)
        {
            return calibrators.Select(_ => Forecast.NotEnoughData(at)).ToArray();
        }

        if (predictor.IsTrainingDue)
        {
            var uncalibrated = calibrators.Any(c => c.Scores.Count == 0);
            var holdout = predictor.Train(withHoldoutScores: uncalibrated);
            foreach (var each in calibrators.Where(c => c.Scores.Count == 0))
            {
                each.Seed(holdout);
            }
        }

        var prediction = predictor.Predict();
        var buffer = 1 + (settings.BufferPercentage / 100);
        var cap = predictor.RecentPeak() * PeakCapFactor;
        var floor = RecentFloorFactor * predictor.LatestPeak(RecentFloorBlocks);
        return calibrators
            .Select(c => new Forecast(at, true, prediction.Peak, c.Bound(prediction, predictor.Blocks.Count, settings.IntervalBlocks, cap, c.RiskTarget <= RecentFloorMaxRisk ? floor : 0) * buffer))
            .ToArray();
    }

    /// <summary>
    /// Writes the learned state (model, offset, training time, calibration) so a later run can continue without
    /// retraining; the usage history itself is stored separately.
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
        writer.Write(calibrator.AdaptiveRisk);
        writer.Write(calibrator.Scores.Count);
        foreach (var score in calibrator.Scores)
        {
            writer.Write(score);
        }

        writer.Write(model.Length);
        writer.Write(model.GetBuffer(), 0, (int)model.Length);
        writer.Write(calibrator.LastBound ?? double.NaN);
    }

    /// <summary>Restores a forecaster from <see cref="SaveState"/> and its stored usage history.</summary>
    public static UsageForecaster LoadState(Stream stream, ForecastSettings settings, IEnumerable<UsageBlock> history)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(history);
        var forecaster = new UsageForecaster(settings);
        foreach (var block in history)
        {
            forecaster.predictor.Append(block);
        }

        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var version = reader.ReadInt32();
        if (version is not (1 or StateVersion))
        {
            throw new InvalidDataException(string.Format(CultureInfo.InvariantCulture, "Unknown forecaster state version {0}.", version));
        }

        var epsilon = reader.ReadDouble();
        var trainedAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
        var adaptiveRisk = reader.ReadDouble();
        var scores = new double[reader.ReadInt32()];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = reader.ReadDouble();
        }

        var modelBytes = reader.ReadBytes((int)reader.ReadInt64());
        using var model = new MemoryStream(modelBytes);
        forecaster.predictor.Adopt(PeakModel.Load(model), epsilon, trainedAt);
        // Version 1 had no bound in force; hysteresis then starts afresh.
        var lastBound = version >= 2 ? reader.ReadDouble() : double.NaN;
        forecaster.calibrator.Restore(adaptiveRisk, scores, double.IsNaN(lastBound) ? null : lastBound);
        return forecaster;
    }
}
