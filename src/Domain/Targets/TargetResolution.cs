namespace Thoras.Domain.Targets;

/// <summary>The parts of a target's surroundings a stage reads to resolve it; each is listed once per namespace.</summary>
[Flags]
public enum TargetReads
{
    /// <summary>Nothing beyond the target itself.</summary>
    None = 0,

    /// <summary>The Deployment or StatefulSet of <c>scaleTargetRef</c> (its controller spec and pod selector).</summary>
    Workload = 1,

    /// <summary>The pods the workload's (or the target's) selector matches.</summary>
    Pods = 2,

    /// <summary>The HPAs that scale the workload.</summary>
    Autoscalers = 4,

    /// <summary>The PodDisruptionBudgets that cover its pods.</summary>
    DisruptionBudgets = 8,
}

/// <summary>What one namespace holds that targets are resolved against; a part is null when it was not read.</summary>
/// <param name="Deployments">Its Deployments.</param>
/// <param name="StatefulSets">Its StatefulSets.</param>
/// <param name="Pods">Its pods.</param>
/// <param name="Autoscalers">Its HPAs.</param>
/// <param name="DisruptionBudgets">Its PodDisruptionBudgets.</param>
public sealed record NamespaceObjects(
    IReadOnlyList<Workload>? Deployments = null,
    IReadOnlyList<Workload>? StatefulSets = null,
    IReadOnlyList<WorkloadPod>? Pods = null,
    IReadOnlyList<HorizontalAutoscaler>? Autoscalers = null,
    IReadOnlyList<DisruptionBudget>? DisruptionBudgets = null);

/// <summary>
/// How a target finds what it scales, in one place for every reader: the workload of <c>scaleTargetRef</c> by kind
/// and name; its pods by the workload's selector (or the target's own <c>selector</c>); the HPAs whose
/// <c>scaleTargetRef</c> is that workload (<c>apps/v1</c> or no apiVersion); the PDBs whose selector matches any of the
/// pods or the workload's pod template. Results are ordered by name, pods as listed.
/// </summary>
public static class TargetResolution
{
    /// <summary>
    /// The target resolved against <paramref name="objects"/>, or null when its <c>scaleTargetRef</c> names a workload
    /// that is not there. Parts that were not read resolve empty; the workload's kind must have been read.
    /// </summary>
    public static ResolvedTarget? Resolve(AIScaleTarget target, NamespaceObjects objects)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(objects);
        Workload? workload = null;
        LabelSelector selector;
        if (target.Spec.ScaleTargetRef is { } reference)
        {
            var candidates = (reference.Kind == ScaleTargetRef.StatefulSet ? objects.StatefulSets : objects.Deployments)
                ?? throw new InvalidOperationException($"The {reference.Kind}s of namespace {target.Metadata.Namespace} were not read, so {target.Key} cannot be resolved.");
            workload = candidates.FirstOrDefault(w => w.Name == reference.Name);
            if (workload is null)
                return null;
            selector = workload.Selector;
        }
        else
        {
            selector = target.Spec.Selector ?? new LabelSelector();
        }

        var pods = (objects.Pods ?? []).Where(p => selector.Matches(p.Labels)).ToList();
        var autoscalers = workload is null
            ? []
            : (objects.Autoscalers ?? []).Where(h => Scales(h, workload)).OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        var labels = pods.Select(p => p.Labels).ToList();
        if (workload is not null)
            labels.Add(workload.TemplateLabels);
        var budgets = (objects.DisruptionBudgets ?? [])
            .Where(b => b.Selector is { } covering && labels.Any(covering.Matches))
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
        return new ResolvedTarget(target, workload, selector, pods, autoscalers, budgets);
    }

    /// <summary>Whether <paramref name="hpa"/> scales <paramref name="workload"/>.</summary>
    public static bool Scales(HorizontalAutoscaler hpa, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(hpa);
        ArgumentNullException.ThrowIfNull(workload);
        return hpa.ScaleTarget is { } r && r.Kind == workload.Kind && r.Name == workload.Name
            && (string.IsNullOrEmpty(r.ApiVersion) || r.ApiVersion == TargetDefaults.ScaleTargetApiVersion);
    }
}
