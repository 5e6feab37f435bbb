namespace Thoras.Domain.Enrollment;

/// <summary>
/// The cluster writes that undo what the apply stage did, and delete a target: restart a workload through its pod
/// template (as <c>kubectl rollout restart</c> does), put an HPA's original <c>minReplicas</c> back, delete an
/// AIScaleTarget. Each is idempotent, so a cleanup that crashed half-way can simply run again.
/// </summary>
/// <example>
/// <code>
/// await cluster.RestartWorkloadAsync("shop", "Deployment", "web", now, ct);     // pods come back with the controller spec
/// await cluster.RestoreMinReplicasAsync("shop", "web", originalMinReplicas: 2, ct);
/// </code>
/// </example>
public interface ICleanupCluster
{
    /// <summary>
    /// Sets <see cref="RevertAnnotations.RestartedAt"/> on the pod template of the Deployment or StatefulSet
    /// <paramref name="name"/>, so its controller replaces every pod with one built from the controller spec. The
    /// controller spec's containers are not touched. False when the workload does not exist.
    /// </summary>
    Task<bool> RestartWorkloadAsync(string @namespace, string kind, string name, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the HPA's <c>minReplicas</c> to <paramref name="minReplicas"/> (null: unset, which Kubernetes reads as 1)
    /// and removes <see cref="RevertAnnotations.OriginalMinReplicas"/>. False when the HPA does not exist.
    /// </summary>
    Task<bool> RestoreMinReplicasAsync(string @namespace, string hpaName, int? minReplicas, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the AIScaleTarget if it still has <paramref name="uid"/> (its finalizer then keeps it until cleanup is
    /// done). False when it is already gone or has another UID.
    /// </summary>
    Task<bool> DeleteTargetAsync(Targets.TargetKey key, string uid, CancellationToken cancellationToken);
}

/// <summary>Annotations the app writes on workloads and HPAs; the apply stage writes the same ones.</summary>
public static class RevertAnnotations
{
    /// <summary>On a pod template: when the app restarted the workload to revert applied requests (RFC 3339).</summary>
    public const string RestartedAt = "thoras.ai/restartedAt";

    /// <summary>
    /// On an HPA while a predictive floor is set: its <c>minReplicas</c> before, as a number, or empty when it was
    /// unset. Written by the apply stage, removed on revert.
    /// </summary>
    public const string OriginalMinReplicas = Apply.IScalingActions.OriginalMinReplicasAnnotation;

    /// <summary>
    /// Reads <see cref="OriginalMinReplicas"/> from an HPA's annotations: false when absent or unreadable;
    /// <paramref name="value"/> null when the original was unset.
    /// </summary>
    public static bool TryReadOriginalMinReplicas(IReadOnlyDictionary<string, string> annotations, out int? value)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        value = null;
        if (!annotations.TryGetValue(OriginalMinReplicas, out var text))
            return false;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (!int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            return false;
        value = parsed;
        return true;
    }
}
