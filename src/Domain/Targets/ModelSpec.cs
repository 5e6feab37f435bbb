using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>How cautious a forecast is: the share of intervals in which usage may exceed the suggestion.</summary>
[JsonConverter(typeof(ModelModeJsonConverter))]
public enum ModelMode
{
    /// <summary>A middle ground between cost and the risk of running short (<c>balanced</c>).</summary>
    Balanced = 1,

    /// <summary>Smaller suggestions, accepting more intervals above them (<c>cost_optimized</c>).</summary>
    CostOptimized = 2,

    /// <summary>Larger suggestions, rarely exceeded (<c>assurance_optimized</c>).</summary>
    AssuranceOptimized = 3,

    /// <summary>The suggestion is this percentile of the forecast distribution (<c>percentile</c>, needs <c>percentile_value</c>).</summary>
    Percentile = 4,
}

/// <summary>Names of <see cref="ModelMode"/> as the CRD writes them.</summary>
public static class ModelModes
{
    public const string AllowedText = "balanced, cost_optimized, assurance_optimized or percentile";

    public static bool TryParse(string? text, out ModelMode mode)
    {
        mode = text switch
        {
            "balanced" => ModelMode.Balanced,
            "cost_optimized" => ModelMode.CostOptimized,
            "assurance_optimized" => ModelMode.AssuranceOptimized,
            "percentile" => ModelMode.Percentile,
            _ => 0,
        };
        return mode != 0;
    }

    public static string ToWireName(this ModelMode mode) => mode switch
    {
        ModelMode.Balanced => "balanced",
        ModelMode.CostOptimized => "cost_optimized",
        ModelMode.AssuranceOptimized => "assurance_optimized",
        ModelMode.Percentile => "percentile",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown model mode."),
    };
}

/// <summary>Reads and writes <see cref="ModelMode"/> by its CRD name.</summary>
public sealed class ModelModeJsonConverter : WireEnumConverter<ModelMode>
{
    protected override string What => "model mode";

    protected override string Allowed => ModelModes.AllowedText;

    protected override bool TryParse(string? text, out ModelMode value) => ModelModes.TryParse(text, out value);

    protected override string WireName(ModelMode value) => value.ToWireName();
}

/// <summary>
/// <c>spec.model</c>, or a direction's <c>model</c> that overrides it field by field. Every field is optional;
/// <see cref="Resolve"/> fills the rest from <see cref="TargetDefaults"/>.
/// </summary>
public sealed record ModelSpec
{
    [JsonPropertyName("mode")]
    public ModelMode? Mode { get; init; }

    /// <summary>The percentile (1–100) the suggestion targets when <see cref="Mode"/> is <c>percentile</c>.</summary>
    [JsonPropertyName("percentile_value")]
    public double? PercentileValue { get; init; }

    /// <summary>The span each forecast covers: the suggestion is the predicted peak over the next block.</summary>
    [JsonPropertyName("forecast_blocks")]
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? ForecastBlocks { get; init; }

    /// <summary>How often a new forecast is made at most.</summary>
    [JsonPropertyName("forecast_interval")]
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? ForecastInterval { get; init; }

    /// <summary>Headroom added on top of the calibrated forecast, in percent.</summary>
    [JsonPropertyName("forecast_buffer_percentage")]
    public double? ForecastBufferPercentage { get; init; }

    /// <summary>How much usage history must exist before a suggestion is applied.</summary>
    [JsonPropertyName("min_lookback_to_scale")]
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? MinLookbackToScale { get; init; }

    /// <summary>This model with every field that <paramref name="overrides"/> sets taken from it instead.</summary>
    public ModelSpec OverriddenBy(ModelSpec? overrides) => overrides is null ? this : new ModelSpec
    {
        Mode = overrides.Mode ?? Mode,
        PercentileValue = overrides.PercentileValue ?? PercentileValue,
        ForecastBlocks = overrides.ForecastBlocks ?? ForecastBlocks,
        ForecastInterval = overrides.ForecastInterval ?? ForecastInterval,
        ForecastBufferPercentage = overrides.ForecastBufferPercentage ?? ForecastBufferPercentage,
        MinLookbackToScale = overrides.MinLookbackToScale ?? MinLookbackToScale,
    };

    /// <summary>The model with defaults filled in.</summary>
    public ForecastModel Resolve() => new(
        Mode ?? TargetDefaults.ModelMode,
        PercentileValue,
        ForecastBlocks ?? TargetDefaults.ForecastBlocks,
        ForecastInterval ?? TargetDefaults.ForecastInterval,
        ForecastBufferPercentage ?? TargetDefaults.ForecastBufferPercentage,
        MinLookbackToScale ?? TargetDefaults.MinLookbackToScale);
}

/// <summary>The forecasting settings in effect for one direction of a target, defaults filled in.</summary>
/// <param name="Mode">The risk profile of the suggestion.</param>
/// <param name="PercentileValue">The targeted percentile when <paramref name="Mode"/> is <see cref="ModelMode.Percentile"/>.</param>
/// <param name="ForecastBlocks">The span each forecast's peak covers.</param>
/// <param name="ForecastInterval">The shortest time between two forecasts.</param>
/// <param name="ForecastBufferPercentage">Headroom in percent on top of the forecast.</param>
/// <param name="MinLookbackToScale">History needed before suggestions are applied.</param>
public sealed record ForecastModel(
    ModelMode Mode,
    double? PercentileValue,
    TimeSpan ForecastBlocks,
    TimeSpan ForecastInterval,
    double ForecastBufferPercentage,
    TimeSpan MinLookbackToScale);
