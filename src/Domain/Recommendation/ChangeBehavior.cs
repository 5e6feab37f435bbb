using Thoras.Domain.Forecasting;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Recommendation;

/// <summary>How the change policy prices a change of one series' bound (from <c>scaling_behavior</c>; every default is the product default).</summary>
public sealed record ChangeBehavior
{
    /// <summary>The product defaults, chosen with the backtest (docs/forecasting.md gives the reasons).</summary>
    public static readonly ChangeBehavior Default = new();

    /// <summary>The least raise (<c>scale_up</c>): a needed raise is rounded up to it. Default: <see cref="TargetDefaults.ScaleUpPercent"/> %.</summary>
    public ChangeStep RaiseStep { get; init; } = ChangeStep.Percent(TargetDefaults.ScaleUpPercent);

    /// <summary>The least lowering worth a change (<c>scale_down</c>). Default: <see cref="TargetDefaults.ScaleDownPercent"/> %.</summary>
    public ChangeStep LowerStep { get; init; } = ChangeStep.Percent(TargetDefaults.ScaleDownPercent);

    /// <summary>
    /// How long a lower bound must have been enough before it is taken. Default: 30 minutes, two forecast horizons: a
    /// dip shorter than that is usually followed by the usage it dipped from.
    /// </summary>
    public TimeSpan LowerAfter { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The change budget (<c>max_changes_per_day</c>): lowering waits while a day's worth of it is spent; a raise is
    /// never refused but spends it too. Default: <see cref="TargetDefaults.MaxChangesPerDay"/>.
    /// </summary>
    public int BudgetPerDay { get; init; } = TargetDefaults.MaxChangesPerDay;

    /// <summary>The behaviour of a container's <paramref name="resource"/> (<c>cpu</c> or <c>memory</c>) under <c>vertical.scaling_behavior</c>.</summary>
    public static ChangeBehavior ForVertical(ScalingBehavior<ResourceAmounts>? behavior, string resource)
    {
        double? Absolute(ResourceAmounts? amounts) => (resource == UsageSeries.Cpu ? amounts?.Cpu : amounts?.Memory)?.ToDouble();
        return From(behavior?.ThresholdPercentage, behavior?.MaxChangesPerDay, Step(behavior?.ScaleUp, Absolute), Step(behavior?.ScaleDown, Absolute));
    }

    /// <summary>
    /// The behaviour of the replica count's CPU series under <c>horizontal.scaling_behavior</c>; an absolute minimum
    /// of replicas is <paramref name="coresPerReplica"/> (per-pod CPU request × the HPA's target utilisation) each.
    /// </summary>
    public static ChangeBehavior ForHorizontal(ScalingBehavior<int?>? behavior, double coresPerReplica)
    {
        double? Absolute(int? replicas) => replicas * coresPerReplica;
        return From(behavior?.ThresholdPercentage, behavior?.MaxChangesPerDay, Step(behavior?.ScaleUp, Absolute), Step(behavior?.ScaleDown, Absolute));
    }

    private static ChangeBehavior From(double? thresholdPercentage, int? maxChangesPerDay, ChangeStep? raise, ChangeStep? lower)
    {
        var shorthand = thresholdPercentage is { } percent ? ChangeStep.Percent(percent) : (ChangeStep?)null;
        return new ChangeBehavior
        {
            RaiseStep = raise ?? shorthand ?? Default.RaiseStep,
            LowerStep = lower ?? shorthand ?? Default.LowerStep,
            BudgetPerDay = maxChangesPerDay ?? Default.BudgetPerDay,
        };
    }

    private static ChangeStep? Step<TAbsolute>(ChangeMinimum<TAbsolute>? minimum, Func<TAbsolute?, double?> absolute) => minimum switch
    {
        { Type: ChangeMinimumType.Percent, Percent: { } percent } => ChangeStep.Percent(percent),
        { Type: ChangeMinimumType.Absolute } when absolute(minimum.Absolute) is { } amount => ChangeStep.Absolute(amount),
        _ => null,
    };
}

/// <summary>A minimum change: a percentage of the bound in force, or an absolute amount in the series' unit.</summary>
/// <param name="IsPercent">True for a percentage of the bound in force.</param>
/// <param name="Amount">The percentage or the absolute amount; never negative.</param>
public readonly record struct ChangeStep(bool IsPercent, double Amount)
{
    /// <summary>A step of <paramref name="percent"/> % of the bound in force.</summary>
    public static ChangeStep Percent(double percent) => new(true, NonNegative(percent));

    /// <summary>A step of <paramref name="amount"/> in the series' unit (cores, bytes).</summary>
    public static ChangeStep Absolute(double amount) => new(false, NonNegative(amount));

    /// <summary>The step's size next to a bound of <paramref name="current"/>.</summary>
    public double Of(double current) => IsPercent ? current * Amount / 100 : Amount;

    private static double NonNegative(double value) =>
        double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A change step must be a finite, non-negative number.");
}
