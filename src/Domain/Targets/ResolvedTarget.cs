namespace Thoras.Domain.Targets;

/// <summary>An AIScaleTarget with what it scales, as found in the cluster at one moment.</summary>
/// <param name="Target">The target.</param>
/// <param name="Workload">Its Deployment or StatefulSet; null for a selector target.</param>
/// <param name="PodSelector">The selector its pods are found by: the workload's, or the target's own.</param>
/// <param name="Pods">The pods the selector matches.</param>
/// <param name="Autoscalers">The HPAs whose <c>scaleTargetRef</c> is the workload.</param>
/// <param name="DisruptionBudgets">The PDBs that select any of the pods (or the workload's pod template).</param>
public sealed record ResolvedTarget(
    AIScaleTarget Target,
    Workload? Workload,
    LabelSelector PodSelector,
    IReadOnlyList<WorkloadPod> Pods,
    IReadOnlyList<HorizontalAutoscaler> Autoscalers,
    IReadOnlyList<DisruptionBudget> DisruptionBudgets)
{
    /// <summary>The HPA horizontal autonomy acts on: only when there is exactly one.</summary>
    public HorizontalAutoscaler? SingleAutoscaler => Autoscalers.Count == 1 ? Autoscalers[0] : null;

    /// <summary>How a user knows the workload: <c>Deployment/web</c>, or the selector's labels.</summary>
    public string Describe() => Workload is not null ? $"{Workload.Kind}/{Workload.Name}" : $"pods matching {PodSelector}";
}

/// <summary>A Deployment or StatefulSet: its controller spec (the pod template's resources) and replica count.</summary>
/// <param name="Kind"><c>Deployment</c> or <c>StatefulSet</c>.</param>
/// <param name="Name">Its name, in the target's namespace.</param>
/// <param name="Uid">Its UID.</param>
/// <param name="Replicas">The desired replica count.</param>
/// <param name="TemplateLabels">The labels its pods are created with.</param>
/// <param name="TemplateAnnotations">The pod template's annotations (a restart annotation lives here).</param>
/// <param name="Containers">The controller spec of each container: what a revert returns to.</param>
public sealed record Workload(
    string Kind,
    string Name,
    string Uid,
    int? Replicas,
    IReadOnlyDictionary<string, string> TemplateLabels,
    IReadOnlyDictionary<string, string> TemplateAnnotations,
    IReadOnlyList<ContainerResources> Containers)
{
    /// <summary>The selector its pods are found by (<c>spec.selector</c>).</summary>
    public LabelSelector Selector { get; init; } = new();
}

/// <summary>A running (or pending) pod of a target.</summary>
/// <param name="Name">The pod's name.</param>
/// <param name="Uid">The pod's UID: a recreated pod has a new one.</param>
/// <param name="Labels">Its labels.</param>
/// <param name="Phase"><c>Pending</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c> or <c>Unknown</c>.</param>
/// <param name="StartTime">When the kubelet started it; null while unscheduled.</param>
/// <param name="IsTerminating">Whether it is being deleted.</param>
/// <param name="Containers">The requests and limits of each container as they are now, and how it last ended.</param>
public sealed record WorkloadPod(
    string Name,
    string Uid,
    IReadOnlyDictionary<string, string> Labels,
    string? Phase,
    DateTimeOffset? StartTime,
    bool IsTerminating,
    IReadOnlyList<ContainerResources> Containers);

/// <summary>The CPU and memory requests and limits of one container, and (for a pod) its restart history.</summary>
/// <param name="Name">The container's name.</param>
/// <param name="Requests">Its requests.</param>
/// <param name="Limits">Its limits.</param>
/// <param name="RestartCount">How often it restarted (0 for a template).</param>
/// <param name="LastTerminationReason">Why it last ended, such as <c>OOMKilled</c>; null if it never did.</param>
public sealed record ContainerResources(
    string Name,
    ResourceAmounts Requests,
    ResourceAmounts Limits,
    int RestartCount = 0,
    string? LastTerminationReason = null);

/// <summary>A HorizontalPodAutoscaler (<c>autoscaling/v2</c>) of a workload.</summary>
/// <param name="Name">Its name.</param>
/// <param name="MinReplicas">Its current <c>minReplicas</c> (Kubernetes treats unset as 1).</param>
/// <param name="MaxReplicas">Its <c>maxReplicas</c>.</param>
/// <param name="Annotations">Its annotations (where the original <c>minReplicas</c> is kept while a floor is applied).</param>
/// <param name="ResourceVersion">The version a write must match.</param>
/// <param name="TargetCpuUtilization">Its CPU target average utilisation in percent, if it has one.</param>
public sealed record HorizontalAutoscaler(
    string Name,
    int? MinReplicas,
    int MaxReplicas,
    IReadOnlyDictionary<string, string> Annotations,
    string? ResourceVersion,
    int? TargetCpuUtilization = null)
{
    /// <summary>The workload it scales (<c>spec.scaleTargetRef</c>); null when it names none.</summary>
    public ScaleTargetRef? ScaleTarget { get; init; }
}

/// <summary>A PodDisruptionBudget covering a target's pods.</summary>
/// <param name="Name">Its name.</param>
/// <param name="MinAvailable">Its <c>minAvailable</c> (a count or a percentage), if set.</param>
/// <param name="MaxUnavailable">Its <c>maxUnavailable</c>, if set.</param>
/// <param name="DisruptionsAllowed">How many pods may be disrupted now, per its status.</param>
public sealed record DisruptionBudget(string Name, string? MinAvailable, string? MaxUnavailable, int? DisruptionsAllowed)
{
    /// <summary>The pods it covers (<c>spec.selector</c>); null when it has no selector, which covers no pod.</summary>
    public LabelSelector? Selector { get; init; }
}
