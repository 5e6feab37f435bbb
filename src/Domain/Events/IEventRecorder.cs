using Thoras.Domain.Targets;

namespace Thoras.Domain.Events;

/// <summary>
/// Records what the app did or refused as Kubernetes Events on the AIScaleTarget (and on its workload where the
/// workload changed), where <c>kubectl describe ast</c> and <c>kubectl get events</c> show them. Repeats are
/// aggregated into one event's series count and writes are rate limited per target. Recording never throws and
/// never fails the action it reports: an event that cannot be written is logged and counted, then dropped.
/// </summary>
/// <example>
/// <code>
/// await events.RecordAsync(TargetEvent.Normal(key, uid, EventReasons.ResizedInPlace, "Resize", "Resized 2 pods to cpu 300m") with { Workload = workload }, ct);
/// </code>
/// </example>
public interface IEventRecorder
{
    /// <summary>Records <paramref name="targetEvent"/>; returns when it is written, aggregated or dropped.</summary>
    Task RecordAsync(TargetEvent targetEvent, CancellationToken cancellationToken);
}

/// <summary>One thing that happened to a target, as an event.</summary>
/// <param name="Target">The AIScaleTarget.</param>
/// <param name="TargetUid">Its <c>metadata.uid</c>.</param>
/// <param name="Warning">Whether it is a <c>Warning</c> (a refusal or failure) rather than <c>Normal</c>.</param>
/// <param name="Reason">Why, in CamelCase, from <see cref="EventReasons"/>.</param>
/// <param name="Action">What the app did or failed to do, in CamelCase (<c>Resize</c>, <c>Evict</c>...).</param>
/// <param name="Note">A human-readable sentence (at most 1 kB is kept).</param>
public sealed record TargetEvent(TargetKey Target, string TargetUid, bool Warning, string Reason, string Action, string Note)
{
    /// <summary>The workload, when the action changed it: the event is recorded on it too.</summary>
    public WorkloadReference? Workload { get; init; }

    /// <summary>A <c>Normal</c> event.</summary>
    public static TargetEvent Normal(TargetKey target, string uid, string reason, string action, string note) =>
        new(target, uid, false, reason, action, note);

    /// <summary>A <c>Warning</c> event.</summary>
    public static TargetEvent Warn(TargetKey target, string uid, string reason, string action, string note) =>
        new(target, uid, true, reason, action, note);
}

/// <summary>
/// The object in the target's namespace that an action changed (its Deployment or StatefulSet, or its HPA), as an
/// event's <c>regarding</c> or <c>related</c> object.
/// </summary>
/// <param name="ApiVersion"><c>apps/v1</c>, or <c>autoscaling/v2</c> for an HPA.</param>
/// <param name="Kind"><c>Deployment</c>, <c>StatefulSet</c> or <c>HorizontalPodAutoscaler</c>.</param>
/// <param name="Name">Its name.</param>
/// <param name="Uid">Its UID, when known.</param>
public sealed record WorkloadReference(string ApiVersion, string Kind, string Name, string? Uid = null)
{
    /// <summary>The Deployment or StatefulSet <paramref name="reference"/> names; null when it names none (a selector target).</summary>
    public static WorkloadReference? Of(ScaleTargetRef? reference) =>
        reference is { Kind: { Length: > 0 } kind, Name: { Length: > 0 } name } ? new(reference.ApiVersion ?? "apps/v1", kind, name) : null;

    /// <summary>The HPA named <paramref name="name"/>.</summary>
    public static WorkloadReference Autoscaler(string name) => new("autoscaling/v2", "HorizontalPodAutoscaler", name);
}
