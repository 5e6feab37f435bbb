using Thoras.Domain.Targets;

namespace Thoras.Domain.Recommendation;

/// <summary>
/// The spec's-bounds step: a suggestion never leaves what the user allowed — <c>lowerbound</c>/<c>upperbound</c> of a
/// container's resource, <c>minReplicas</c>/<c>maxReplicas</c>/<c>multipleOf</c> of the replica count. The backtest
/// honours a series' <c>--upper</c> with the same rule.
/// </summary>
public static class SpecBounds
{
    /// <summary><paramref name="value"/> clamped to [<paramref name="lower"/>, <paramref name="upper"/>] (each optional; the lower wins when they cross).</summary>
    public static double Clamp(double value, double? lower, double? upper)
    {
        if (upper is { } high && value > high)
        {
            value = high;
        }

        return lower is { } low && value < low ? low : value;
    }

    /// <summary><paramref name="value"/> clamped to the resource's <c>lowerbound</c> and <c>upperbound</c>.</summary>
    public static Quantity Clamp(Quantity value, ResourcePolicy? policy)
    {
        if (policy?.Upperbound is { } upper && value > upper)
        {
            value = upper;
        }

        return policy?.Lowerbound is { } lower && value < lower ? lower : value;
    }

    /// <summary>
    /// <paramref name="replicas"/> clamped to <c>minReplicas</c>/<c>maxReplicas</c> (the HPA's
    /// <paramref name="autoscalerMax"/> when the spec has none), then rounded up to <c>multipleOf</c>.
    /// </summary>
    public static int Replicas(int replicas, HorizontalSpec horizontal, int? autoscalerMax)
    {
        ArgumentNullException.ThrowIfNull(horizontal);
        var min = horizontal.MinReplicas ?? 1;
        var max = horizontal.MaxReplicas ?? autoscalerMax ?? int.MaxValue;
        replicas = Math.Clamp(replicas, min, Math.Max(min, max));
        var multiple = Math.Max(1, horizontal.MultipleOf ?? TargetDefaults.MultipleOf);
        return (int)(Math.Ceiling(replicas / (double)multiple) * multiple);
    }
}
