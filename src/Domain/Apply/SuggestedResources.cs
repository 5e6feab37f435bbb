using Thoras.Domain.Recommendation;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Apply;

/// <summary>
/// What a pod's containers should run with under a vertical suggestion (DESIGN.md §3): the suggested requests through
/// the pipeline's limit policy (<see cref="Limits"/>). Containers the suggestion does not name keep what they have.
/// Shared by the apply stage (running pods) and admission (new pods), so both set the same values.
/// </summary>
public static class SuggestedResources
{
    /// <summary>The containers of <paramref name="current"/> as they should be; equal to the input when nothing changes.</summary>
    public static IReadOnlyList<ContainerResources> For(IReadOnlyList<ContainerResources> current, Suggestion suggestion, VerticalSpec vertical)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(suggestion);
        ArgumentNullException.ThrowIfNull(vertical);
        return current.Select(container =>
        {
            var recommendation = suggestion.ResourceRecommendations?.FirstOrDefault(r => r.ContainerName == container.Name);
            if (recommendation?.Requests is not { } suggested)
                return container;
            var policy = vertical.PolicyFor(container.Name);
            var (cpuRequest, cpuLimit) = Resource(container.Requests.Cpu, container.Limits.Cpu, suggested.Cpu, policy?.Cpu?.Limit?.Ratio);
            var (memoryRequest, memoryLimit) = Resource(container.Requests.Memory, container.Limits.Memory, suggested.Memory, policy?.Memory?.Limit?.Ratio);
            return container with
            {
                Requests = new ResourceAmounts { Cpu = cpuRequest, Memory = memoryRequest },
                Limits = new ResourceAmounts { Cpu = cpuLimit, Memory = memoryLimit },
            };
        }).ToList();
    }

    /// <summary>Whether two container lists ask for the same requests and limits.</summary>
    public static bool SameResources(IReadOnlyList<ContainerResources> a, IReadOnlyList<ContainerResources> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name && p.First.Requests == p.Second.Requests && p.First.Limits == p.Second.Limits);
    }

    private static (Quantity? Request, Quantity? Limit) Resource(Quantity? request, Quantity? limit, Quantity? suggested, double? ratio)
    {
        if (suggested is not { } value)
            return (request, limit);
        var setting = Limits.Apply(value, ratio, limit);
        return (setting.Request, setting.Limit);
    }
}
