using Thoras.Domain.Targets;

namespace Thoras.Domain.Suggestions;

/// <summary>
/// Turns calibrated forecasts into what is published (DESIGN.md §3): per container, requests clamped to the
/// bounds, limits per <c>limit.ratio</c>, never a request above an existing limit, small changes ignored; for
/// replicas, the forecast total over the per-pod share the HPA aims for, clamped and rounded up.
/// </summary>
public static class SuggestionBuilder
{
    private const decimal Mebibyte = 1024 * 1024;

    /// <summary>
    /// The recommendation of one container from its forecast CPU (cores) and memory (bytes) peaks; a null forecast
    /// leaves that resource out. <paramref name="current"/> holds the container's requests and limits now.
    /// </summary>
    public static ResourceRecommendation Vertical(VerticalSpec vertical, ContainerResources current, double? cpuCores, double? memoryBytes)
    {
        ArgumentNullException.ThrowIfNull(vertical);
        ArgumentNullException.ThrowIfNull(current);
        var policy = vertical.PolicyFor(current.Name);
        var threshold = vertical.ScalingBehavior?.ThresholdPercentage;
        var cpu = Resource(cpuCores is { } c ? CpuQuantity(c) : null, policy?.Cpu, current.Requests.Cpu, current.Limits.Cpu, threshold);
        var memory = Resource(memoryBytes is { } m ? MemoryQuantity(m) : null, policy?.Memory, current.Requests.Memory, current.Limits.Memory, threshold);
        var hasLimits = cpu.Limit is not null || memory.Limit is not null;
        return new ResourceRecommendation
        {
            ContainerName = current.Name,
            Requests = new ResourceAmounts { Cpu = cpu.Request, Memory = memory.Request },
            Limits = hasLimits ? new ResourceAmounts { Cpu = cpu.Limit, Memory = memory.Limit } : null,
        };
    }

    /// <summary>
    /// replicas = ceil(<paramref name="totalCpuCores"/> / (<paramref name="perPodCpuRequest"/> × utilisation)), clamped
    /// to <c>minReplicas</c>/<c>maxReplicas</c> (the HPA's max when the spec has none), then rounded up to
    /// <c>multipleOf</c>. <paramref name="targetUtilizationPercent"/> is the HPA's CPU target.
    /// </summary>
    public static int Replicas(HorizontalSpec horizontal, double totalCpuCores, double perPodCpuRequest, double targetUtilizationPercent, int? autoscalerMax)
    {
        ArgumentNullException.ThrowIfNull(horizontal);
        if (perPodCpuRequest <= 0 || targetUtilizationPercent <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(perPodCpuRequest), "The per-pod CPU request and the target utilisation must be positive.");
        }

        var replicas = (int)Math.Ceiling(Math.Round(totalCpuCores / (perPodCpuRequest * targetUtilizationPercent / 100), 9));
        var min = horizontal.MinReplicas ?? 1;
        var max = horizontal.MaxReplicas ?? autoscalerMax ?? int.MaxValue;
        replicas = Math.Clamp(replicas, min, Math.Max(min, max));
        var multiple = Math.Max(1, horizontal.MultipleOf ?? 1);
        return (int)(Math.Ceiling(replicas / (double)multiple) * multiple);
    }

    /// <summary>CPU cores rounded up to whole millicores.</summary>
    public static Quantity CpuQuantity(double cores) =>
        Quantity.FromAmount(Math.Ceiling((decimal)Math.Max(cores, 0.001) * 1000) / 1000, QuantityFormat.DecimalSI);

    /// <summary>Memory bytes rounded up to whole mebibytes.</summary>
    public static Quantity MemoryQuantity(double bytes) =>
        Quantity.FromAmount(Math.Ceiling((decimal)Math.Max(bytes, 1) / Mebibyte) * Mebibyte, QuantityFormat.BinarySI);

    private static (Quantity? Request, Quantity? Limit) Resource(Quantity? forecast, ResourcePolicy? policy, Quantity? request, Quantity? limit, double? thresholdPercent)
    {
        if (forecast is not { } value)
        {
            return (null, null);
        }

        if (policy?.Lowerbound is { } lower && value < lower)
        {
            value = lower;
        }

        if (policy?.Upperbound is { } upper && value > upper)
        {
            value = upper;
        }

        if (thresholdPercent is { } threshold && request is { } now && now.Amount > 0
            && Math.Abs(value.Amount - now.Amount) / now.Amount * 100 < (decimal)threshold)
        {
            value = now;
        }

        if (policy?.Limit?.Ratio is { } ratio)
        {
            return (value, Quantity.FromAmount(value.Amount * (decimal)ratio, value.Format));
        }

        // Without a ratio the limit is the user's: the request may reach it, never pass it.
        return (limit is { } cap && value > cap ? cap : value, null);
    }
}
