using Thoras.Domain.Targets;

namespace Thoras.Domain.Apply;

/// <summary>
/// The changes the apply stage makes to a workload: in-place pod resizes (<c>pods/resize</c>), evictions through the
/// Eviction API (which honours PodDisruptionBudgets) and the predictive floor on an HPA. Kept apart from
/// <see cref="ITargetCluster"/>, which reads targets; this port only acts on what they scale.
/// </summary>
/// <example>
/// <code>
/// var outcome = await actions.ResizePodAsync("shop", "web-7d9f-abc", desired, ct);
/// if (outcome == ResizeOutcome.Infeasible &amp;&amp; mode.AllowsEviction())
///     await actions.EvictPodAsync("shop", "web-7d9f-abc", ct);
/// </code>
/// </example>
public interface IScalingActions
{
    /// <summary>
    /// Sets the requests and limits of the named containers of a running pod through <c>pods/resize</c>, and says
    /// whether the kubelet can apply it. Containers not listed are left as they are.
    /// </summary>
    Task<ResizeOutcome> ResizePodAsync(string @namespace, string pod, IReadOnlyList<ContainerResources> containers, CancellationToken cancellationToken);

    /// <summary>
    /// Evicts a pod through the Eviction API. <see cref="EvictionOutcome.Blocked"/> when a PodDisruptionBudget forbids
    /// it now (HTTP 429); <see cref="EvictionOutcome.Gone"/> when the pod no longer exists.
    /// </summary>
    Task<EvictionOutcome> EvictPodAsync(string @namespace, string pod, CancellationToken cancellationToken);

    /// <summary>
    /// Sets an HPA's <c>minReplicas</c> and, in the same write, the annotation
    /// <see cref="OriginalMinReplicasAnnotation"/> with the original value when it is not there yet, so the original
    /// survives in the cluster even if the Table record is lost. <paramref name="resourceVersion"/> guards against a
    /// concurrent edit (a conflict throws).
    /// </summary>
    Task SetAutoscalerFloorAsync(string @namespace, string hpa, int minReplicas, int? originalMinReplicas, string? resourceVersion, CancellationToken cancellationToken);

    /// <summary>The HPA annotation that keeps the <c>minReplicas</c> a user set, while the app's floor is applied.</summary>
    public const string OriginalMinReplicasAnnotation = "thoras.ai/original-min-replicas";
}

/// <summary>What the kubelet made of an in-place resize.</summary>
public enum ResizeOutcome
{
    /// <summary>The pod runs with the new resources.</summary>
    Applied,

    /// <summary>The node can fit it, but not now; the kubelet applies it once room frees up.</summary>
    Deferred,

    /// <summary>The node can never fit it: only recreating the pod (elsewhere) helps.</summary>
    Infeasible,
}

/// <summary>What an eviction did.</summary>
public enum EvictionOutcome
{
    /// <summary>The pod is being deleted; its controller creates a replacement (which admission gives the suggestion).</summary>
    Evicted,

    /// <summary>A PodDisruptionBudget does not allow a disruption now.</summary>
    Blocked,

    /// <summary>The pod was already gone.</summary>
    Gone,
}
