using Thoras.Domain.Targets;

namespace Thoras.Domain.Forecasting;

/// <summary>Maps a model mode to its risk target: the share of intervals in which usage may exceed the suggestion.</summary>
public static class RiskTarget
{
    /// <summary>Returns the risk target of the spec's <c>model.mode</c> as a fraction (0.02 for 2 %).</summary>
    /// <param name="mode">The model mode.</param>
    /// <param name="percentileValue">Required for <see cref="ModelMode.Percentile"/>: a value in (0, 100).</param>
    public static double For(ModelMode mode, double? percentileValue = null) => mode switch
    {
        ModelMode.Balanced => 0.02,
        ModelMode.CostOptimized => 0.05,
        ModelMode.AssuranceOptimized => 0.005,
        ModelMode.Percentile when percentileValue is > 0 and < 100 => (100 - percentileValue.Value) / 100,
        ModelMode.Percentile => throw new ArgumentOutOfRangeException(
            nameof(percentileValue), percentileValue, "percentile mode needs a percentile_value strictly between 0 and 100."),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown model mode."),
    };
}
