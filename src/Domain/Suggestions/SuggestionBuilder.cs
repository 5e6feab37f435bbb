using Thoras.Domain.Recommendation;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Suggestions;

/// <summary>
/// Turns the bounds the recommender published into what a suggestion carries (DESIGN.md §3), through the pipeline's
/// tail: quantize, the spec's bounds, the limit policy; for replicas, the forecast total over the per-pod share the
/// HPA aims for, then the spec's bounds. Which changes are worth making was decided earlier, by the change policy.
/// </summary>
public static class SuggestionBuilder
{
    /// <summary>
    /// The recommendation of one container from its bounds of CPU (cores) and memory (bytes); a null bound leaves
    /// that resource out. <paramref name="current"/> holds the container's requests and limits now.
    /// </summary>
    public static ResourceRecommendation Vertical(VerticalSpec vertical, ContainerResources current, double? cpuCores, double? memoryBytes)
    {
        ArgumentNullException.ThrowIfNull(vertical);
        ArgumentNullException.ThrowIfNull(current);
        var policy = vertical.PolicyFor(current.Name);
        var cpu = cpuCores is { } c ? Tail(Quantize.Cpu(c), policy?.Cpu, current.Limits.Cpu) : null;
        var memory = memoryBytes is { } m ? Tail(Quantize.Memory(m), policy?.Memory, current.Limits.Memory) : null;
        Quantity? Limit(ResourceSetting? setting) => setting is { LimitFollowsRequest: true } s ? s.Limit : null;
        var hasLimits = Limit(cpu) is not null || Limit(memory) is not null;
        return new ResourceRecommendation
        {
            ContainerName = current.Name,
            Requests = new ResourceAmounts { Cpu = cpu?.Request, Memory = memory?.Request },
            Limits = hasLimits ? new ResourceAmounts { Cpu = Limit(cpu), Memory = Limit(memory) } : null,
        };
    }

    /// <summary>
    /// replicas = ceil(<paramref name="totalCpuCores"/> / (<paramref name="perPodCpuRequest"/> × utilisation)), then the
    /// spec's bounds (<see cref="SpecBounds.Replicas"/>). <paramref name="targetUtilizationPercent"/> is the HPA's CPU target.
    /// </summary>
    public static int Replicas(HorizontalSpec horizontal, double totalCpuCores, double perPodCpuRequest, double targetUtilizationPercent, int? autoscalerMax)
    {
        ArgumentNullException.ThrowIfNull(horizontal);
        if (perPodCpuRequest <= 0 || targetUtilizationPercent <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(perPodCpuRequest), "The per-pod CPU request and the target utilisation must be positive.");
        }

        var replicas = (int)Math.Ceiling(Math.Round(totalCpuCores / (perPodCpuRequest * targetUtilizationPercent / 100), 9));
        return SpecBounds.Replicas(replicas, horizontal, autoscalerMax);
    }

    private static ResourceSetting Tail(Quantity quantized, ResourcePolicy? policy, Quantity? currentLimit) =>
        Limits.Apply(SpecBounds.Clamp(quantized, policy), policy?.Limit?.Ratio, currentLimit);
}
