using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Fleet;

/// <summary>
/// An estimate of a target's over-provisioning, priced with <see cref="NodePrices"/>. <see cref="Waste"/> is requested
/// capacity above the latest suggestion that the running pods still hold (recommendation mode, or autonomous while
/// paused or not yet applied); <see cref="Saving"/> is capacity the app has taken off the controller spec (what
/// autonomous mode realised). Both are measured on the pods as they run now, so a target in recommendation mode
/// shows its over-provisioning as waste and one whose suggestion is applied shows it as saving.
/// </summary>
/// <param name="Waste">Capacity held above the suggestion.</param>
/// <param name="Saving">Capacity released below the controller spec (and below the original HPA floor).</param>
/// <param name="WastePerHour">What <paramref name="Waste"/> costs per hour.</param>
/// <param name="SavingPerHour">What <paramref name="Saving"/> saves per hour.</param>
public sealed record ProvisioningEstimate(Capacity Waste, Capacity Saving, double WastePerHour, double SavingPerHour)
{
    /// <summary>
    /// Estimates one target. Vertically, for each running pod and container: waste is the request above the suggested
    /// request, saving the controller spec's request above the running request. Horizontally, with exactly one HPA and a
    /// suggested replica count: waste is the pods an HPA floor holds above the suggestion (<c>min(replicas, minReplicas)
    /// - suggested</c>), saving the pods a lowered floor released (<c>min(replicas, original minReplicas) - minReplicas</c>),
    /// each priced at the mean pod's requests. A suggestion without enough data counts as none.
    /// </summary>
    public static ProvisioningEstimate Of(ResolvedTarget resolved, Suggestion? suggestion, HorizontalBaseline? horizontalBaseline, NodePrices prices)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(prices);
        var spec = resolved.Target.Spec;
        var usable = suggestion is { HasEnoughDataToScale: true } ? suggestion : null;
        var pods = resolved.Pods.Where(p => !p.IsTerminating && p.Phase is "Running" or "Pending").ToList();
        var waste = Capacity.Zero;
        var saving = Capacity.Zero;

        if (spec.Vertical is not null)
        {
            foreach (var container in pods.SelectMany(p => p.Containers))
            {
                var suggested = usable?.ResourceRecommendations?.FirstOrDefault(r => r.ContainerName == container.Name)?.Requests;
                var controller = resolved.Workload?.Containers.FirstOrDefault(c => c.Name == container.Name)?.Requests;
                waste += Capacity.Excess(container.Requests, suggested);
                saving += Capacity.Excess(controller, container.Requests);
            }
        }

        if (spec.Horizontal is not null && usable?.SuggestedReplicas is { } suggestedReplicas && resolved.SingleAutoscaler is { } hpa)
        {
            var perPod = MeanPod(resolved, pods);
            var replicas = resolved.Workload?.Replicas ?? pods.Count;
            var floor = hpa.MinReplicas ?? 1;
            waste += perPod * Math.Max(0, Math.Min(replicas, floor) - suggestedReplicas);
            if (horizontalBaseline is not null)
            {
                saving += perPod * Math.Max(0, Math.Min(replicas, horizontalBaseline.OriginalMinReplicas ?? 1) - floor);
            }
        }

        return new ProvisioningEstimate(waste, saving, prices.PerHour(waste), prices.PerHour(saving));
    }

    /// <summary>The requests of the average running pod, or of the controller spec when no pod runs.</summary>
    private static Capacity MeanPod(ResolvedTarget resolved, List<WorkloadPod> pods)
    {
        if (pods.Count == 0)
        {
            return (resolved.Workload?.Containers ?? []).Aggregate(Capacity.Zero, (sum, c) => sum + Capacity.Of(c.Requests));
        }

        var total = pods.SelectMany(p => p.Containers).Aggregate(Capacity.Zero, (sum, c) => sum + Capacity.Of(c.Requests));
        return total * (1d / pods.Count);
    }
}
