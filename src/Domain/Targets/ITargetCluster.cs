namespace Thoras.Domain.Targets;

/// <summary>
/// The cluster as the app sees its AIScaleTargets: read them, change their modes, write their status and
/// finalizer, and find the workload, pods, HPA and PDBs each one scales. Every write re-reads and retries on a
/// conflict (a bounded number of times), so a concurrent <c>kubectl edit</c> is never overwritten.
/// </summary>
/// <example>
/// <code>
/// var listing = await cluster.ListAsync(namespaces: [], ct);
/// foreach (var invalid in listing.Invalid)
///     await cluster.UpdateStatusAsync(invalid.Key, invalid.Metadata.Uid,
///         s => s.WithCondition(TargetConditions.InvalidSpec(invalid.Problems, now, invalid.Metadata.Generation)), ct);
/// foreach (var target in listing.Targets)
/// {
///     var resolved = await cluster.ResolveAsync(target, ct);   // null: the Deployment/StatefulSet is missing
/// }
/// // A stage's pass reads each namespace once instead: see ClusterSnapshot.
/// </code>
/// </example>
public interface ITargetCluster
{
    /// <summary>
    /// Every AIScaleTarget in <paramref name="namespaces"/> (every namespace when empty). A target whose spec
    /// cannot be read or breaks a rule is listed under <see cref="TargetListing.Invalid"/>, never thrown.
    /// </summary>
    Task<TargetListing> ListAsync(IReadOnlyCollection<string> namespaces, CancellationToken cancellationToken);

    /// <summary>
    /// One target, or null when there is none at <paramref name="key"/>. Throws <see cref="InvalidTargetException"/>
    /// when it exists but its spec is invalid.
    /// </summary>
    Task<AIScaleTarget?> GetAsync(TargetKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the status of the target with UID <paramref name="uid"/> with <paramref name="change"/> applied to
    /// its current status, through the status subresource. <paramref name="change"/> may run more than once (after a
    /// conflict it runs again on the re-read status), so it must not have side effects. Nothing is written when it
    /// returns an equal status. Works on invalid targets too (to report why they are invalid). Throws
    /// <see cref="TargetNotFoundException"/> when the target is gone or has another UID.
    /// </summary>
    Task<TargetStatus> UpdateStatusAsync(TargetKey key, string uid, Func<TargetStatus, TargetStatus> change, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the status of <paramref name="seen"/> with <paramref name="change"/> applied to the status it was read
    /// with, as a conditional update on the <c>resourceVersion</c> it was read with: no read comes first. Only when the
    /// target changed since (409 Conflict) is it read again and <paramref name="change"/> applied to its current status,
    /// as <see cref="UpdateStatusAsync(TargetKey, string, Func{TargetStatus, TargetStatus}, CancellationToken)"/> does.
    /// Nothing is written when the change leaves the status as it was.
    /// </summary>
    Task<TargetStatus> UpdateStatusAsync(AIScaleTarget seen, Func<TargetStatus, TargetStatus> change, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <see cref="AIScaleTarget.CleanupFinalizer"/>; false when it was already there, or when the target is
    /// already being deleted (Kubernetes refuses new finalizers then). Throws
    /// <see cref="TargetNotFoundException"/> when the target is gone or has another UID.
    /// </summary>
    Task<bool> AddFinalizerAsync(TargetKey key, string uid, CancellationToken cancellationToken);

    /// <summary>
    /// Removes <see cref="AIScaleTarget.CleanupFinalizer"/> (the last cleanup step: a deleted target then goes away);
    /// false when it was not there or the target is already gone.
    /// </summary>
    Task<bool> RemoveFinalizerAsync(TargetKey key, string uid, CancellationToken cancellationToken);

    /// <summary>
    /// The workload a target scales (its Deployment or StatefulSet, or for a selector target just its pods), with
    /// its pods, the HPAs that scale the workload and the PDBs that cover its pods. Null when the
    /// <c>scaleTargetRef</c> names a workload that does not exist.
    /// </summary>
    Task<ResolvedTarget?> ResolveAsync(AIScaleTarget target, CancellationToken cancellationToken);

    /// <summary>The Deployments (<paramref name="kind"/> <c>Deployment</c>) or StatefulSets of a namespace, with their pod selectors.</summary>
    Task<IReadOnlyList<Workload>> ListWorkloadsAsync(string @namespace, string kind, CancellationToken cancellationToken);

    /// <summary>Every pod of a namespace.</summary>
    Task<IReadOnlyList<WorkloadPod>> ListPodsAsync(string @namespace, CancellationToken cancellationToken);

    /// <summary>Every HorizontalPodAutoscaler (<c>autoscaling/v2</c>) of a namespace, with the workload each scales.</summary>
    Task<IReadOnlyList<HorizontalAutoscaler>> ListAutoscalersAsync(string @namespace, CancellationToken cancellationToken);

    /// <summary>Every PodDisruptionBudget of a namespace, with its selector.</summary>
    Task<IReadOnlyList<DisruptionBudget>> ListDisruptionBudgetsAsync(string @namespace, CancellationToken cancellationToken);
}

/// <summary>The AIScaleTargets found in the cluster: the usable ones, and the ones with an invalid spec.</summary>
public sealed record TargetListing(IReadOnlyList<AIScaleTarget> Targets, IReadOnlyList<InvalidTarget> Invalid);

/// <summary>An AIScaleTarget exists but its spec cannot be used; <see cref="Target"/> says why.</summary>
public sealed class InvalidTargetException : Exception
{
    public InvalidTargetException(InvalidTarget target)
        : base($"The AIScaleTarget {target?.Key} has an invalid spec: {string.Join("; ", target?.Problems ?? [])}")
    {
        Target = target!;
    }

    public InvalidTarget Target { get; }
}

/// <summary>No AIScaleTarget exists at a key (or one exists with another UID: a different target).</summary>
public sealed class TargetNotFoundException : Exception
{
    public TargetNotFoundException(TargetKey key, string? uid)
        : base(uid is null ? $"No AIScaleTarget {key} exists." : $"No AIScaleTarget {key} with UID {uid} exists.")
    {
        Key = key;
        Uid = uid;
    }

    public TargetKey Key { get; }

    public string? Uid { get; }
}

/// <summary>A write kept conflicting with concurrent changes, even after re-reading and retrying.</summary>
public sealed class TargetConflictException : Exception
{
    public TargetConflictException(TargetKey key, int attempts, Exception? lastConflict)
        : base($"The AIScaleTarget {key} kept changing while it was being written; gave up after {attempts} attempts.", lastConflict)
    {
        Key = key;
        Attempts = attempts;
    }

    public TargetKey Key { get; }

    public int Attempts { get; }
}
