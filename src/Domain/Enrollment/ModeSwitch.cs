using Thoras.Domain.Audit;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Enrollment;

/// <summary>
/// Switches a direction of a target between autonomous, recommendation and observation, through the API or by
/// adopting a <c>kubectl edit</c>. The mode is written to the AST spec and the enrollment record. Leaving
/// autonomous reverts what was applied (see <see cref="WorkloadRevert"/>); entering autonomous changes nothing at
/// once, the apply stage takes over on its next tick. Only one direction may be autonomous at a time.
/// </summary>
public sealed class ModeSwitch(ITargetCluster targets, IEnrollmentStore store, WorkloadRevert revert, Unenrollment unenrollment, IAuditLog audit, TimeProvider time)
{
    /// <summary>The actor of changes adopted from the cluster (<c>kubectl edit ast</c>).</summary>
    public const string ClusterActor = "cluster";

    /// <summary>
    /// Sets <paramref name="direction"/> of the target at <paramref name="key"/> to <paramref name="mode"/>. Throws
    /// <see cref="TargetNotFoundException"/>, <see cref="InvalidTargetException"/>, or
    /// <see cref="InvalidModeChangeException"/> (both autonomous, a direction the target does not scale, a target
    /// being unenrolled) before anything is changed.
    /// </summary>
    public async Task<ModeChange> SetAsync(TargetKey key, ScalingDirection direction, TargetMode mode, string actor, string? reason, CancellationToken cancellationToken)
    {
        var target = await targets.GetAsync(key, cancellationToken) ?? throw new TargetNotFoundException(key, null);
        if (target.Metadata.IsDeleting)
            throw new InvalidModeChangeException($"The AIScaleTarget {key} is being unenrolled; its mode can no longer change.");
        target.Spec.WithMode(direction, mode);

        var record = await EnrollAsync(target, cancellationToken);
        var previous = record.ModeOf(direction);
        var written = await targets.SetModeAsync(key, direction, mode, cancellationToken);
        var adoption = await AdoptAsync(written, record, actor, reason, cancellationToken);
        return new ModeChange(key, written.Metadata.Uid, direction, previous, mode, previous != mode, adoption.Revert);
    }

    /// <summary>
    /// Makes the record agree with the target's spec: records the modes it has now (auditing each change as made by
    /// <paramref name="actor"/>) and reverts every direction that is not autonomous but still has applied changes.
    /// </summary>
    public async Task<Adoption> AdoptAsync(AIScaleTarget target, EnrolledTarget record, string actor, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(record);
        var key = target.Key;
        var changes = ScalingDirections.All
            .Where(d => target.Spec.ModeOf(d) is { } mode && mode != record.ModeOf(d))
            .Select(d => (Direction: d, Previous: record.ModeOf(d), Current: target.Spec.ModeOf(d)!.Value))
            .ToList();
        if (changes.Count > 0)
        {
            record = await store.UpdateAsync(key, record.Uid, r => r with
            {
                VerticalMode = target.Spec.ModeOf(ScalingDirection.Vertical) ?? r.VerticalMode,
                HorizontalMode = target.Spec.ModeOf(ScalingDirection.Horizontal) ?? r.HorizontalMode,
            }, cancellationToken) ?? throw new TargetNotFoundException(key, record.Uid);
        }

        var toRevert = ScalingDirections.All
            .Where(d => target.Spec.ModeOf(d) != TargetMode.Autonomous && HasApplied(record, d))
            .ToList();
        var outcome = new RevertOutcome();
        if (toRevert.Count > 0)
        {
            var resolved = await targets.ResolveAsync(target, cancellationToken);
            (_, outcome) = await revert.RevertAsync(key, record, resolved, toRevert, cancellationToken);
        }

        foreach (var change in changes)
        {
            await audit.AppendAsync(
                new AuditRecord(
                    time.GetUtcNow(), actor, "mode-change", key.ToString(),
                    Reason: reason ?? $"{change.Direction.ToWireName()}: {outcome.Describe()}",
                    Previous: $"{change.Direction.ToWireName()}={change.Previous.ToWireName()}",
                    Current: $"{change.Direction.ToWireName()}={change.Current.ToWireName()}",
                    TargetUid: record.Uid),
                cancellationToken);
        }

        if (changes.Count == 0 && outcome.ChangedAnything)
        {
            await audit.AppendAsync(
                new AuditRecord(time.GetUtcNow(), actor, "revert", key.ToString(), Reason: outcome.Describe(), TargetUid: record.Uid),
                cancellationToken);
        }

        return new Adoption(changes.Select(c => c.Direction).ToList(), outcome);
    }

    /// <summary>
    /// The record of <paramref name="target"/>, created (and audited as <c>enroll</c>) when the app has none for its
    /// UID. A record left by an older target of the same name (deleted and recreated, or a cluster started anew) is
    /// not reused: its state is forgotten first, as the sync step would forget it.
    /// </summary>
    public async Task<EnrolledTarget> EnrollAsync(AIScaleTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var existing = await store.GetAsync(target.Key, cancellationToken);
        if (existing is not null && existing.Uid == target.Metadata.Uid)
            return existing;
        if (existing is not null)
            await unenrollment.ForgetAsync(existing, cancellationToken);

        var now = time.GetUtcNow();
        var record = new EnrolledTarget
        {
            Key = target.Key,
            Uid = target.Metadata.Uid,
            EnrolledAt = now,
            VerticalMode = target.Spec.ModeOf(ScalingDirection.Vertical) ?? TargetMode.Recommendation,
            HorizontalMode = target.Spec.ModeOf(ScalingDirection.Horizontal) ?? TargetMode.Recommendation,
        };
        try
        {
            record = await store.SaveAsync(record, cancellationToken);
        }
        catch (EnrollmentConflictException)
        {
            // Enrolled at the same moment by another caller: use theirs.
            return await store.GetAsync(target.Key, cancellationToken) is { } theirs && theirs.Uid == record.Uid
                ? theirs
                : throw new InvalidModeChangeException($"The AIScaleTarget {target.Key} changed while it was being enrolled. Try again.");
        }

        await audit.AppendAsync(
            new AuditRecord(now, ClusterActor, "enroll", target.Key.ToString(),
                Current: $"vertical={record.VerticalMode.ToWireName()}, horizontal={record.HorizontalMode.ToWireName()}", TargetUid: record.Uid),
            cancellationToken);
        return record;
    }

    private static bool HasApplied(EnrolledTarget record, ScalingDirection direction) =>
        direction == ScalingDirection.Vertical ? record.Vertical is not null : record.Horizontal is not null;
}

/// <summary>The result of a mode change asked for through the API.</summary>
/// <param name="Key">The target.</param>
/// <param name="Uid">Its UID.</param>
/// <param name="Direction">The direction changed.</param>
/// <param name="Previous">Its mode before.</param>
/// <param name="Current">Its mode now.</param>
/// <param name="Changed">False when it already had that mode.</param>
/// <param name="Revert">What was reverted on the workload.</param>
public sealed record ModeChange(TargetKey Key, string Uid, ScalingDirection Direction, TargetMode Previous, TargetMode Current, bool Changed, RevertOutcome Revert);

/// <summary>What adopting a target's spec did: the directions whose mode changed, and what was reverted.</summary>
public sealed record Adoption(IReadOnlyList<ScalingDirection> Changed, RevertOutcome Revert);
