using k8s.Models;
using Thoras.Domain.Targets;

namespace Thoras.Infrastructure.Kubernetes;

/// <summary>Maps the client's Kubernetes objects to the domain's view of a target's workload.</summary>
internal static class KubernetesModels
{
    private const string Cpu = "cpu";
    private const string Memory = "memory";

    public static Workload ToWorkload(string kind, V1ObjectMeta metadata, int? replicas, V1LabelSelector? selector, V1PodTemplateSpec template) => new(
        kind,
        metadata.Name,
        metadata.Uid,
        replicas,
        Copy(template.Metadata?.Labels),
        Copy(template.Metadata?.Annotations),
        (template.Spec?.Containers ?? []).Select(c => new ContainerResources(c.Name, Amounts(c.Resources?.Requests), Amounts(c.Resources?.Limits))).ToList())
    {
        Selector = selector is null ? new LabelSelector() : ToSelector(selector),
    };

    public static Workload ToWorkload(V1Deployment deployment) =>
        ToWorkload(ScaleTargetRef.Deployment, deployment.Metadata, deployment.Spec.Replicas, deployment.Spec.Selector, deployment.Spec.Template);

    public static Workload ToWorkload(V1StatefulSet set) =>
        ToWorkload(ScaleTargetRef.StatefulSet, set.Metadata, set.Spec.Replicas, set.Spec.Selector, set.Spec.Template);

    public static WorkloadPod ToPod(V1Pod pod)
    {
        var statuses = pod.Status?.ContainerStatuses ?? [];
        return new WorkloadPod(
            pod.Metadata.Name,
            pod.Metadata.Uid,
            Copy(pod.Metadata.Labels),
            pod.Status?.Phase,
            ToUtc(pod.Status?.StartTime),
            pod.Metadata.DeletionTimestamp is not null,
            (pod.Spec?.Containers ?? []).Select(c =>
            {
                var status = statuses.FirstOrDefault(s => s.Name == c.Name);
                return new ContainerResources(
                    c.Name,
                    Amounts(c.Resources?.Requests),
                    Amounts(c.Resources?.Limits),
                    status?.RestartCount ?? 0,
                    status?.LastState?.Terminated?.Reason);
            }).ToList());
    }

    public static HorizontalAutoscaler ToAutoscaler(V2HorizontalPodAutoscaler hpa) => new(
        hpa.Metadata.Name,
        hpa.Spec.MinReplicas,
        hpa.Spec.MaxReplicas,
        Copy(hpa.Metadata.Annotations),
        hpa.Metadata.ResourceVersion,
        hpa.Spec.Metrics?.FirstOrDefault(m => m.Resource?.Name == "cpu")?.Resource.Target.AverageUtilization)
    {
        ScaleTarget = hpa.Spec.ScaleTargetRef is { } r ? new ScaleTargetRef { ApiVersion = r.ApiVersion, Kind = r.Kind, Name = r.Name } : null,
    };

    public static DisruptionBudget ToBudget(V1PodDisruptionBudget pdb) => new(
        pdb.Metadata.Name,
        pdb.Spec?.MinAvailable?.Value,
        pdb.Spec?.MaxUnavailable?.Value,
        pdb.Status?.DisruptionsAllowed)
    {
        Selector = pdb.Spec?.Selector is { } selector ? ToSelector(selector) : null,
    };

    /// <summary>The domain's selector; a Kubernetes selector with no requirement selects everything, as here.</summary>
    public static LabelSelector ToSelector(V1LabelSelector selector) => new()
    {
        MatchLabels = selector.MatchLabels is null ? null : Copy(selector.MatchLabels),
        MatchExpressions = selector.MatchExpressions?
            .Select(r => new LabelSelectorRequirement { Key = r.Key, Operator = r.OperatorProperty, Values = r.Values?.ToList() })
            .ToList(),
    };

    public static IReadOnlyDictionary<string, string> Copy(IDictionary<string, string>? values) =>
        values is null ? new Dictionary<string, string>() : new Dictionary<string, string>(values, StringComparer.Ordinal);

    public static DateTimeOffset? ToUtc(DateTime? time) =>
        time is null
            ? null
            : new DateTimeOffset(DateTime.SpecifyKind(time.Value.Kind == DateTimeKind.Local ? time.Value.ToUniversalTime() : time.Value, DateTimeKind.Utc));

    private static ResourceAmounts Amounts(IDictionary<string, ResourceQuantity>? values) => new()
    {
        Cpu = values is not null && values.TryGetValue(Cpu, out var cpu) ? Quantity.Parse(cpu.ToString()) : null,
        Memory = values is not null && values.TryGetValue(Memory, out var memory) ? Quantity.Parse(memory.ToString()) : null,
    };
}
