using Thoras.Domain.Targets;

namespace Thoras.Domain.Enrollment;

/// <summary>
/// Undoes what the apply stage changed on a target's workload, direction by direction. Vertical: restarts the
/// workload through a pod-template annotation so its pods come back with the controller spec (which is never
/// rewritten); only when suggestions were applied, i.e. a <see cref="VerticalBaseline"/> is recorded. Horizontal:
/// puts the HPA's original <c>minReplicas</c> back, from the <see cref="HorizontalBaseline"/> or, when the apply stage
/// crashed before saving one, from the HPA's <see cref="RevertAnnotations.OriginalMinReplicas"/> annotation. Each
/// baseline is cleared right after its revert, so running again does nothing twice.
/// </summary>
public sealed class WorkloadRevert(ICleanupCluster cluster, IEnrollmentStore store, TimeProvider time, EnrollmentSignals? signals = null)
{
    /// <summary>
    /// Reverts <paramref name="directions"/> of the target whose record is <paramref name="record"/> (null: no record,
    /// only the HPA annotation is looked at). <paramref name="resolved"/> is the workload as found now (null: it is
    /// gone, or the target is). <paramref name="restartAt"/> stamps the restart (default: now): callers finishing the
    /// same change pass the same time, so the pod template ends up identical and the workload restarts once.
    /// Returns the record as saved and what was done.
    /// </summary>
    public async Task<(EnrolledTarget? Record, RevertOutcome Outcome)> RevertAsync(
        TargetKey key, EnrolledTarget? record, ResolvedTarget? resolved, IReadOnlyCollection<ScalingDirection> directions, CancellationToken cancellationToken,
        DateTimeOffset? restartAt = null)
    {
        ArgumentNullException.ThrowIfNull(directions);
        var uid = record?.Uid ?? resolved?.Target.Metadata.Uid;
        var outcome = new RevertOutcome();
        if (directions.Contains(ScalingDirection.Vertical) && record is { Vertical: not null } applied)
        {
            (record, outcome) = await RevertVerticalAsync(key, applied, resolved, outcome, restartAt ?? time.GetUtcNow(), cancellationToken);
        }

        if (directions.Contains(ScalingDirection.Horizontal))
        {
            (record, outcome) = await RevertHorizontalAsync(key, record, resolved, outcome, cancellationToken);
        }

        await (signals?.RevertedAsync(key, uid, resolved, outcome, cancellationToken) ?? Task.CompletedTask);
        return (record, outcome);
    }

    private async Task<(EnrolledTarget? Record, RevertOutcome Outcome)> RevertVerticalAsync(
        TargetKey key, EnrolledTarget record, ResolvedTarget? resolved, RevertOutcome outcome, DateTimeOffset restartAt, CancellationToken cancellationToken)
    {
        if (resolved?.Workload is { } workload)
        {
            if (await cluster.RestartWorkloadAsync(key.Namespace, workload.Kind, workload.Name, restartAt, cancellationToken))
                outcome = outcome with { Restarted = $"{workload.Kind}/{workload.Name}" };
            else
                outcome = outcome.Note($"{workload.Kind}/{workload.Name} is gone; nothing to restart");
        }
        else if (resolved is not null)
        {
            // A selector target has no controller whose template could be annotated.
            outcome = outcome.Note($"{resolved.Describe()} have no Deployment or StatefulSet to restart; they keep their requests until recreated");
        }
        else
        {
            outcome = outcome.Note("the workload is gone; nothing to restart");
        }

        var saved = await store.UpdateAsync(key, record.Uid, r => r with { Vertical = null }, cancellationToken);
        return (saved, outcome);
    }

    private async Task<(EnrolledTarget? Record, RevertOutcome Outcome)> RevertHorizontalAsync(
        TargetKey key, EnrolledTarget? record, ResolvedTarget? resolved, RevertOutcome outcome, CancellationToken cancellationToken)
    {
        string? hpaName = null;
        int? original = null;
        int? applied = null;
        if (record?.Horizontal is { } baseline)
        {
            (hpaName, original, applied) = (baseline.HpaName, baseline.OriginalMinReplicas, baseline.AppliedMinReplicas);
        }
        else
        {
            var annotated = resolved?.Autoscalers.FirstOrDefault(h => RevertAnnotations.TryReadOriginalMinReplicas(h.Annotations, out _));
            if (annotated is null)
                return (record, outcome);
            RevertAnnotations.TryReadOriginalMinReplicas(annotated.Annotations, out original);
            (hpaName, applied) = (annotated.Name, annotated.MinReplicas);
        }

        if (await cluster.RestoreMinReplicasAsync(key.Namespace, hpaName, original, cancellationToken))
            outcome = outcome with { RestoredFloor = new RestoredFloor(hpaName, applied, original) };
        else
            outcome = outcome.Note($"HPA {hpaName} is gone; no minReplicas to restore");

        if (record?.Horizontal is not null)
            record = await store.UpdateAsync(key, record.Uid, r => r with { Horizontal = null }, cancellationToken);
        return (record, outcome);
    }
}

/// <summary>What a revert did.</summary>
public sealed record RevertOutcome
{
    /// <summary>The workload restarted (<c>Deployment/web</c>), or null when none was.</summary>
    public string? Restarted { get; init; }

    /// <summary>The HPA floor removed, or null when none was.</summary>
    public RestoredFloor? RestoredFloor { get; init; }

    /// <summary>What could not be reverted, and why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Whether anything was changed in the cluster.</summary>
    public bool ChangedAnything => Restarted is not null || RestoredFloor is not null;

    /// <summary>This outcome with a note added.</summary>
    public RevertOutcome Note(string note) => this with { Notes = [.. Notes, note] };

    /// <summary>One line for logs and the audit log.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Restarted is not null)
            parts.Add($"restarted {Restarted}");
        if (RestoredFloor is { } floor)
            parts.Add($"restored HPA {floor.HpaName} minReplicas to {floor.MinReplicas?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset"}");
        parts.AddRange(Notes);
        return parts.Count == 0 ? "nothing applied, nothing reverted" : string.Join("; ", parts);
    }
}

/// <summary>An HPA whose predictive floor was removed.</summary>
/// <param name="HpaName">The HPA.</param>
/// <param name="AppliedMinReplicas">The floor the apply stage had set.</param>
/// <param name="MinReplicas">The original <c>minReplicas</c> now restored (null: unset).</param>
public sealed record RestoredFloor(string HpaName, int? AppliedMinReplicas, int? MinReplicas);
