using SpecMode = Thoras.Domain.Targets.ModelMode;

namespace Thoras.Domain.Forecasting;

/// <summary>How much risk of under-provisioning the user accepts in exchange for less slack.</summary>
public enum ModelMode
{
    /// <summary>2 % of intervals may exceed the suggestion.</summary>
    Balanced,

    /// <summary>5 % of intervals may exceed the suggestion.</summary>
    CostOptimized,

    /// <summary>0.5 % of intervals may exceed the suggestion.</summary>
    AssuranceOptimized,

    /// <summary>100 − percentile_value % of intervals may exceed the suggestion.</summary>
    Percentile,
}

/// <summary>Maps a model mode to its risk target: the share of intervals in which usage may exceed the suggestion.</summary>
public static class RiskTarget
{
    /// <summary>Returns the risk target as a fraction (0.02 for 2 %).</summary>
    /// <param name="mode">The model mode.</param>
    /// <param name="percentileValue">Required for <see cref="ModelMode.Percentile"/>: a value in (0, 100).</param>
    public static double For(ModelMode mode, double? percentileValue = null) => mode switch
    {
        ModelMode.Balanced => For(SpecMode.Balanced),
        ModelMode.CostOptimized => For(SpecMode.CostOptimized),
        ModelMode.AssuranceOptimized => For(SpecMode.AssuranceOptimized),
        ModelMode.Percentile => For(SpecMode.Percentile, percentileValue),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown model mode."),
    };

    /// <summary>Returns the risk target of the spec's <c>model.mode</c> as a fraction (0.02 for 2 %).</summary>
    /// <param name="mode">The model mode.</param>
    /// <param name="percentileValue">Required for <see cref="SpecMode.Percentile"/>: a value in (0, 100).</param>
    public static double For(SpecMode mode, double? percentileValue = null) => mode switch
    {
        SpecMode.Balanced => 0.02,
        SpecMode.CostOptimized => 0.05,
        SpecMode.AssuranceOptimized => 0.005,
        SpecMode.Percentile when percentileValue is > 0 and < 100 => (100 - percentileValue.Value) / 100,
        SpecMode.Percentile => throw new ArgumentOutOfRangeException(
            nameof(percentileValue), percentileValue, "percentile mode needs a percentile_value strictly between 0 and 100."),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown model mode."),
    };
}
