using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Forecasting;

/// <summary>What the forecaster of one target and resource is asked to do. Every default is the product default.</summary>
public sealed record ForecastSettings
{
    /// <summary>Share of intervals in which usage may exceed the suggestion (0.02 = 2 %). Default: 0.02 (balanced).</summary>
    public double RiskTarget { get; init; } = 0.02;

    /// <summary>Length of one usage block: always <see cref="UsageSeries.Block"/>.</summary>
    public TimeSpan Block { get; } = UsageSeries.Block;

    /// <summary>How far ahead the model predicts the peak (<c>forecast_blocks</c>). Default: 15 minutes.</summary>
    public TimeSpan ForecastHorizon { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How often a new suggestion is made; each holds until the next (<c>forecast_interval</c>). Default: 5 minutes.</summary>
    public TimeSpan ForecastInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Extra headroom added on top of the calibrated bound, in percent (<c>forecast_buffer_percentage</c>). Default: 0.</summary>
    public double BufferPercentage { get; init; }

    /// <summary>History needed before a suggestion may be applied (<c>min_lookback_to_scale</c>). Default: 24 hours.</summary>
    public TimeSpan MinLookback { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How often the model is retrained. Default: 6 hours.</summary>
    public TimeSpan RetrainEvery { get; init; } = TimeSpan.FromHours(6);

    /// <summary>How much history the model is trained on. Default: 14 days (the usage retention).</summary>
    public TimeSpan TrainingWindow { get; init; } = TimeSpan.FromDays(14);

    /// <summary>How many recent out-of-sample errors calibrate the margin. Default: 7 days.</summary>
    public TimeSpan CalibrationWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How a change of the published bound is priced (<c>scaling_behavior</c>). Default: <see cref="ChangeBehavior.Default"/>.</summary>
    public ChangeBehavior Change { get; init; } = ChangeBehavior.Default;

    /// <summary>Blocks per forecast horizon (at least 1).</summary>
    public int HorizonBlocks => Math.Max(1, (int)Math.Ceiling(ForecastHorizon / Block));

    /// <summary>Blocks per forecast interval (at least 1).</summary>
    public int IntervalBlocks => Math.Max(1, (int)Math.Ceiling(ForecastInterval / Block));

    /// <summary>
    /// The settings of one series of a target: the direction's model (<c>spec.model</c> overridden by the direction's),
    /// its <c>scaling_behavior</c> and the app's options. <paramref name="resource"/> (<c>cpu</c> or <c>memory</c>)
    /// picks a vertical absolute minimum; <paramref name="coresPerReplica"/> (per-pod CPU request × the HPA's target
    /// utilisation) turns a horizontal one from replicas into cores.
    /// </summary>
    public static ForecastSettings For(TargetSpec spec, ScalingDirection direction, string resource, ForecastOptions options, double coresPerReplica = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        var model = spec.ModelFor(direction);
        return new ForecastSettings
        {
            RiskTarget = Forecasting.RiskTarget.For(model.Mode, model.PercentileValue),
            ForecastHorizon = model.ForecastBlocks,
            ForecastInterval = model.ForecastInterval,
            BufferPercentage = model.ForecastBufferPercentage,
            MinLookback = model.MinLookbackToScale,
            RetrainEvery = options.RetrainEvery,
            TrainingWindow = options.TrainingWindow,
            Change = direction == ScalingDirection.Vertical
                ? ChangeBehavior.ForVertical(spec.Vertical?.ScalingBehavior, resource)
                : ChangeBehavior.ForHorizontal(spec.Horizontal?.ScalingBehavior, coresPerReplica),
        };
    }

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    public void Validate()
    {
        if (RiskTarget is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RiskTarget), RiskTarget, "The risk target must be strictly between 0 and 1.");
        }

        if (ForecastHorizon <= TimeSpan.Zero || ForecastInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ForecastHorizon), "The forecast horizon and interval must be positive.");
        }

        if (BufferPercentage < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BufferPercentage), BufferPercentage, "The buffer percentage cannot be negative.");
        }

        if (Change.BudgetPerDay < 1 || Change.LowerAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Change), "The change budget must be at least 1 a day and the lowering delay cannot be negative.");
        }

        if (MinLookback < TimeSpan.Zero || RetrainEvery <= TimeSpan.Zero || TrainingWindow <= TimeSpan.Zero || CalibrationWindow <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MinLookback), "Lookback, retrain cadence and windows must be positive.");
        }
    }
}
