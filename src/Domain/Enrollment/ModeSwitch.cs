using Thoras.Domain.Audit;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Enrollment;

/// <summary>
/// Switches a direction of a target between autonomous, recommendation and observation, through the API or by
/// adopting a <c>kubectl edit</c>. Leaving autonomous reverts what was applied (see <see cref="WorkloadRevert"/>);
/// entering autonomous changes nothing at once, the apply stage takes over on its next tick. Only one direction may
/// be autonomous at a time.
/// <para>
/// Every decision is read, decide, conditional write, retry on conflict: the record is read before the AST (so the
/// AST is never older than the record), and each write is conditional, on the record's ETag and on the AST's
/// <c>resourceVersion</c>. An API change first records itself as <see cref="EnrolledTarget.Pending"/>, then writes the
/// AST, then reverts, records the new mode and its audit record in one write (<see cref="EnrolledTarget.Outbox"/>)
/// and delivers it. A concurrent caller waits for, or finishes, a pending change; one left by a crash is finished when
/// its AST write happened and abandoned (fenced off) when it did not. A request for the mode already in force
/// changes, restarts and audits nothing.
/// </para>
/// </summary>
public sealed class ModeSwitch(
    ITargetCluster targets, IModeWriter writer, IEnrollmentStore store, WorkloadRevert revert, Unenrollment unenrollment, EnrollmentOutbox outbox, TimeProvider time)
{
    /// <summary>The actor of changes adopted from the cluster (<c>kubectl edit ast</c>).</summary>
    public const string ClusterActor = "cluster";

    /// <summary>How many times a change is decided again after losing a race, before <see cref="ConcurrentChangeException"/>.</summary>
    public const int MaxAttempts = 200;

    /// <summary>How long (app time) a pending change whose AST write is not visible is waited for before it is abandoned.</summary>
    public static readonly TimeSpan PendingTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sets <paramref name="direction"/> of the target at <paramref name="key"/> to <paramref name="mode"/> for
    /// <paramref name="actor"/>. Throws <see cref="TargetNotFoundException"/>, <see cref="InvalidTargetException"/>, or
    /// <see cref="InvalidModeChangeException"/> (both autonomous, a direction the target does not scale, a target
    /// being unenrolled) before anything is changed, and <see cref="ConcurrentChangeException"/> when it kept losing.
    /// </summary>
    public async Task<ModeChange> SetAsync(TargetKey key, ScalingDirection direction, TargetMode mode, Actor actor, Reason? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (record, target) = await ReadAsync(key, cancellationToken);
            if (target.Metadata.IsDeleting || record.Unenroll is not null)
                throw new InvalidModeChangeException($"The AIScaleTarget {key} is being unenrolled; its mode can no longer change.");
            if (record.Pending is { } pending)
            {
                await SettleAsync(target, record, pending, cancellationToken);
                await PauseAsync(attempt, cancellationToken);
                continue;
            }

            if (NeedsAdoption(target, record))
            {
                // A kubectl edit not yet adopted: it happened first, so it is recorded first, under its own actor.
                await AdoptFreshAsync(record, target, cancellationToken);
                continue;
            }

            target.Spec.WithMode(direction, mode);
            var previous = target.Spec.ModeOf(direction)!.Value;
            if (previous == mode)
                return new ModeChange(key, record.Uid, direction, previous, mode, false, new RevertOutcome());

            var change = new PendingModeChange(
                "mc-" + Guid.NewGuid().ToString("N"), actor.Name, reason?.Text, direction, previous, mode, target.Metadata.ResourceVersion ?? string.Empty, time.GetUtcNow());
            try
            {
                record = await store.SaveAsync(record with { Pending = change }, cancellationToken);
            }
            catch (EnrollmentConflictException)
            {
                await PauseAsync(attempt, cancellationToken);
                continue;
            }

            try
            {
                await writer.WriteModeAsync(key, change.BaseResourceVersion, direction, mode, change.Id, cancellationToken);
            }
            catch (Exception ex) when (ex is TargetConflictException or TargetNotFoundException)
            {
                // The AST changed (or went) since it was read: this change never happened; decide again.
                await ReleaseAsync(record, change, cancellationToken);
                if (ex is TargetNotFoundException)
                    throw;
                await PauseAsync(attempt, cancellationToken);
                continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The write failed, or its answer was lost: whether it happened is read back from the AST.
                if (await ResolveFailedWriteAsync(key, record, change, cancellationToken) is { } finished)
                    return new ModeChange(key, record.Uid, direction, previous, mode, true, finished);
                throw;
            }

            var revertOutcome = await CompleteAsync(target, record, change, cancellationToken);
            return new ModeChange(key, record.Uid, direction, previous, mode, true, revertOutcome);
        }

        throw new ConcurrentChangeException($"The AIScaleTarget {key} is being changed by many callers at once; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>
    /// The sync step's adoption path: makes the record of <paramref name="target"/> agree with the AST's spec, as
    /// changes by <c>cluster</c> (a <c>kubectl edit</c>), finishes a pending API change, and finishes reverts left
    /// half-done (a direction that is not autonomous but still has applied changes). Decides on a fresh read when the
    /// listed <paramref name="target"/> and <paramref name="record"/> show something to do; writes nothing otherwise.
    /// </summary>
    public async Task<Adoption> AdoptAsync(AIScaleTarget target, EnrolledTarget record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(record);
        if (record.Pending is null && !NeedsAdoption(target, record) && !HasHalfDoneRevert(target, record))
            return new Adoption([], new RevertOutcome());

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (freshRecord, fresh) = await ReadAsync(target.Key, cancellationToken);
            if (fresh.Metadata.Uid != target.Metadata.Uid || fresh.Metadata.IsDeleting || freshRecord.Unenroll is not null)
                return new Adoption([], new RevertOutcome());
            if (freshRecord.Pending is { } pending)
            {
                await SettleAsync(fresh, freshRecord, pending, cancellationToken);
                if (attempt > 1)
                    await PauseAsync(attempt, cancellationToken);
                continue;
            }

            if (NeedsAdoption(fresh, freshRecord))
            {
                var adopted = await AdoptFreshAsync(freshRecord, fresh, cancellationToken);
                if (adopted is null)
                    continue;
                return adopted;
            }

            return new Adoption([], await FinishRevertsAsync(fresh, freshRecord, cancellationToken));
        }

        throw new ConcurrentChangeException($"The AIScaleTarget {target.Key} kept changing while its spec was being adopted; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>
    /// The record of <paramref name="target"/>, created (and audited as <c>enroll</c> through its outbox) when the app
    /// has none for its UID. A record left by an older target of the same name is cleaned up first (its workload's
    /// HPA floor restored, its data purged, its unenroll audited), so the new target starts fresh.
    /// </summary>
    public async Task<EnrolledTarget> EnrollAsync(AIScaleTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var existing = await store.GetAsync(target.Key, cancellationToken);
            if (existing is not null && existing.Uid == target.Metadata.Uid)
                return existing;
            if (existing is not null)
            {
                await ForgetAsync(existing, cancellationToken);
                continue;
            }

            var now = time.GetUtcNow();
            var verticalMode = target.Spec.ModeOf(ScalingDirection.Vertical) ?? TargetMode.Recommendation;
            var horizontalMode = target.Spec.ModeOf(ScalingDirection.Horizontal) ?? TargetMode.Recommendation;
            var record = new EnrolledTarget
            {
                Key = target.Key,
                Uid = target.Metadata.Uid,
                EnrolledAt = now,
                VerticalMode = verticalMode,
                HorizontalMode = horizontalMode,
                Outbox =
                [
                    new AuditRecord(now, ClusterActor, "enroll", target.Key.ToString(),
                        Current: $"vertical={verticalMode.ToWireName()}, horizontal={horizontalMode.ToWireName()}", TargetUid: target.Metadata.Uid)
                    {
                        Key = "enroll-" + KeyPart(target.Metadata.Uid),
                    },
                ],
            };
            try
            {
                record = await store.SaveAsync(record, cancellationToken);
            }
            catch (EnrollmentConflictException)
            {
                // Enrolled at the same moment by another caller: read theirs.
                continue;
            }

            return await outbox.DeliverAsync(record, cancellationToken) ?? record;
        }

        throw new ConcurrentChangeException($"The AIScaleTarget {target.Key} kept changing while it was being enrolled; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>
    /// Finishes or abandons <paramref name="pending"/>, found on <paramref name="record"/> with the AST as
    /// <paramref name="target"/> (read after the record): finished when the AST carries its id (its write happened),
    /// abandoned when the AST moved on without it or it is older than <see cref="PendingTimeout"/> (fenced first, so a
    /// write still in flight fails), and otherwise left to its writer.
    /// </summary>
    public async Task SettleAsync(AIScaleTarget target, EnrolledTarget record, PendingModeChange pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(pending);
        if (target.Metadata.Annotations.GetValueOrDefault(PendingModeChange.ModeChangeAnnotation) == pending.Id)
        {
            await CompleteAsync(target, record, pending, cancellationToken);
            return;
        }

        if (target.Metadata.ResourceVersion != pending.BaseResourceVersion)
        {
            // Its write was conditional on a version the AST no longer has: it cannot happen any more.
            await ReleaseAsync(record, pending, cancellationToken);
            return;
        }

        if (time.GetUtcNow() - pending.StartedAt < PendingTimeout)
            return;
        try
        {
            await writer.FenceAsync(target.Key, pending.BaseResourceVersion, pending.Id + ".abandoned", cancellationToken);
        }
        catch (TargetConflictException)
        {
            // The AST moved on meanwhile (perhaps by this very change): the next read decides.
            return;
        }

        await ReleaseAsync(record, pending, cancellationToken);
    }

    /// <summary>
    /// After the AST write of <paramref name="change"/> failed: finishes the change when the AST shows the write
    /// happened (its answer was lost) and returns what was reverted; otherwise fences the write off and releases the
    /// change (returns null), so the caller's retry starts clean. When the AST cannot be read either, the change stays
    /// pending for <see cref="SettleAsync"/>.
    /// </summary>
    private async Task<RevertOutcome?> ResolveFailedWriteAsync(TargetKey key, EnrolledTarget record, PendingModeChange change, CancellationToken cancellationToken)
    {
        try
        {
            var target = await targets.GetAsync(key, cancellationToken);
            if (target is null || target.Metadata.Uid != record.Uid)
            {
                await ReleaseAsync(record, change, cancellationToken);
                return null;
            }

            if (target.Metadata.Annotations.GetValueOrDefault(PendingModeChange.ModeChangeAnnotation) == change.Id)
                return await CompleteAsync(target, record, change, cancellationToken);
            if (target.Metadata.ResourceVersion == change.BaseResourceVersion)
                await writer.FenceAsync(key, change.BaseResourceVersion, change.Id + ".abandoned", cancellationToken);
            await ReleaseAsync(record, change, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not InvalidTargetException)
        {
            // The cluster or storage is still failing: SettleAsync resolves the change once they answer.
        }

        return null;
    }

    /// <summary>Cleans up the record of a target that is gone (its UID no longer exists), as unenroll does.</summary>
    private async Task ForgetAsync(EnrolledTarget stale, CancellationToken cancellationToken)
    {
        try
        {
            await unenrollment.ForgetAsync(stale, cancellationToken);
        }
        catch (EnrollmentConflictException)
        {
            // Another caller is cleaning it up too; the next read sees what is left.
        }
    }

    /// <summary>The record, then the AST: read in that order, the AST is never older than the record.</summary>
    private async Task<(EnrolledTarget Record, AIScaleTarget Target)> ReadAsync(TargetKey key, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var record = await store.GetAsync(key, cancellationToken);
            var target = await targets.GetAsync(key, cancellationToken) ?? throw new TargetNotFoundException(key, null);
            if (record is not null && record.Uid == target.Metadata.Uid)
                return (record, target);
            await EnrollAsync(target, cancellationToken);
        }

        throw new ConcurrentChangeException($"The AIScaleTarget {key} kept changing while it was being read; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>
    /// Records the spec's modes as changes by <c>cluster</c>, their audit records in the same conditional write, then
    /// reverts what the new modes require. Null when the record changed meanwhile (decide again).
    /// </summary>
    private async Task<Adoption?> AdoptFreshAsync(EnrolledTarget record, AIScaleTarget target, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changes = ScalingDirections.All
            .Where(d => target.Spec.ModeOf(d) is { } mode && mode != record.ModeOf(d))
            .Select(d => (Direction: d, Previous: record.ModeOf(d), Current: target.Spec.ModeOf(d)!.Value))
            .ToList();
        var records = changes.Select(c => new AuditRecord(
                now, ClusterActor, "mode-change", target.Key.ToString(),
                Reason: "adopted from the AIScaleTarget's spec (kubectl edit)",
                Previous: $"{c.Direction.ToWireName()}={c.Previous.ToWireName()}",
                Current: $"{c.Direction.ToWireName()}={c.Current.ToWireName()}",
                TargetUid: record.Uid)
            {
                Key = $"adopt-{KeyPart(target.Metadata.ResourceVersion ?? string.Empty)}-{c.Direction.ToWireName()}-{KeyPart(record.Uid)}",
            })
            .ToList();
        EnrolledTarget saved;
        try
        {
            saved = await store.SaveAsync(
                record with
                {
                    VerticalMode = target.Spec.ModeOf(ScalingDirection.Vertical) ?? record.VerticalMode,
                    HorizontalMode = target.Spec.ModeOf(ScalingDirection.Horizontal) ?? record.HorizontalMode,
                    Outbox = [.. record.Outbox, .. records],
                },
                cancellationToken);
        }
        catch (EnrollmentConflictException)
        {
            return null;
        }

        saved = await outbox.DeliverAsync(saved, cancellationToken) ?? saved;
        var outcome = await FinishRevertsAsync(target, saved, cancellationToken);
        return new Adoption(changes.Select(c => c.Direction).ToList(), outcome);
    }

    /// <summary>
    /// Finishes <paramref name="change"/>, whose AST write happened: reverts what leaving autonomous requires (the
    /// restart is stamped with the change's time, so finishing it twice restarts once), then records the new mode and
    /// its audit record in one conditional write, and delivers it. Idempotent.
    /// </summary>
    private async Task<RevertOutcome> CompleteAsync(AIScaleTarget target, EnrolledTarget record, PendingModeChange change, CancellationToken cancellationToken)
    {
        var outcome = new RevertOutcome();
        if (change.Mode != TargetMode.Autonomous && HasApplied(record, change.Direction))
        {
            var resolved = await targets.ResolveAsync(target, cancellationToken);
            (_, outcome) = await revert.RevertAsync(target.Key, record, resolved, [change.Direction], cancellationToken, change.StartedAt);
        }

        var audit = new AuditRecord(
            change.StartedAt, change.Actor, "mode-change", target.Key.ToString(),
            Reason: change.Reason ?? $"{change.Direction.ToWireName()}: {outcome.Describe()}",
            Previous: $"{change.Direction.ToWireName()}={change.Previous.ToWireName()}",
            Current: $"{change.Direction.ToWireName()}={change.Mode.ToWireName()}",
            TargetUid: record.Uid)
        {
            Key = change.Id,
        };
        var saved = await store.UpdateAsync(target.Key, record.Uid, r => r.Pending?.Id != change.Id ? r : r with
        {
            VerticalMode = change.Direction == ScalingDirection.Vertical ? change.Mode : r.VerticalMode,
            HorizontalMode = change.Direction == ScalingDirection.Horizontal ? change.Mode : r.HorizontalMode,
            Pending = null,
            Outbox = [.. r.Outbox, audit],
        }, cancellationToken);
        if (saved is not null)
            await outbox.DeliverAsync(saved, cancellationToken);
        return outcome;
    }

    /// <summary>Finishes reverts left half-done: a direction that is not autonomous but still has applied changes.</summary>
    private async Task<RevertOutcome> FinishRevertsAsync(AIScaleTarget target, EnrolledTarget record, CancellationToken cancellationToken)
    {
        var toRevert = ScalingDirections.All.Where(d => target.Spec.ModeOf(d) != TargetMode.Autonomous && HasApplied(record, d)).ToList();
        if (toRevert.Count == 0)
            return new RevertOutcome();
        var resolved = await targets.ResolveAsync(target, cancellationToken);
        var (saved, outcome) = await revert.RevertAsync(target.Key, record, resolved, toRevert, cancellationToken);
        if (outcome.ChangedAnything && saved is not null)
        {
            var audit = new AuditRecord(time.GetUtcNow(), ClusterActor, "revert", target.Key.ToString(), Reason: outcome.Describe(), TargetUid: record.Uid)
            {
                Key = "revert-" + Guid.NewGuid().ToString("N"),
            };
            var withAudit = await store.UpdateAsync(target.Key, record.Uid, r => r with { Outbox = [.. r.Outbox, audit] }, cancellationToken);
            if (withAudit is not null)
                await outbox.DeliverAsync(withAudit, cancellationToken);
        }

        return outcome;
    }

    private async Task ReleaseAsync(EnrolledTarget record, PendingModeChange change, CancellationToken cancellationToken) =>
        await store.UpdateAsync(record.Key, record.Uid, r => r.Pending?.Id == change.Id ? r with { Pending = null } : r, cancellationToken);

    /// <summary>A short random pause that grows with the attempt, so concurrent callers do not retry in lock step.</summary>
    private static Task PauseAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, Math.Min(400, 20 + (20 * attempt)))), cancellationToken);

    private static bool NeedsAdoption(AIScaleTarget target, EnrolledTarget record) =>
        ScalingDirections.All.Any(d => target.Spec.ModeOf(d) is { } mode && mode != record.ModeOf(d));

    private static bool HasHalfDoneRevert(AIScaleTarget target, EnrolledTarget record) =>
        ScalingDirections.All.Any(d => target.Spec.ModeOf(d) != TargetMode.Autonomous && HasApplied(record, d));

    private static bool HasApplied(EnrolledTarget record, ScalingDirection direction) =>
        direction == ScalingDirection.Vertical ? record.Vertical is not null : record.Horizontal is not null;

    /// <summary>Only the characters an audit key may hold (a UID's dashes and hex digits, a resourceVersion's digits).</summary>
    private static string KeyPart(string text) => new(text.Where(char.IsAsciiLetterOrDigit).Take(40).ToArray());
}

/// <summary>The result of a mode change asked for through the API.</summary>
/// <param name="Key">The target.</param>
/// <param name="Uid">Its UID.</param>
/// <param name="Direction">The direction changed.</param>
/// <param name="Previous">Its mode before.</param>
/// <param name="Current">Its mode now.</param>
/// <param name="Changed">False when it already had that mode (nothing was written, restarted or audited).</param>
/// <param name="Revert">What was reverted on the workload.</param>
public sealed record ModeChange(TargetKey Key, string Uid, ScalingDirection Direction, TargetMode Previous, TargetMode Current, bool Changed, RevertOutcome Revert);

/// <summary>What adopting a target's spec did: the directions whose mode changed, and what was reverted.</summary>
public sealed record Adoption(IReadOnlyList<ScalingDirection> Changed, RevertOutcome Revert);

/// <summary>A change kept losing to concurrent writers and was not made; the caller may retry.</summary>
public sealed class ConcurrentChangeException : Exception
{
    public ConcurrentChangeException()
        : this("The target kept changing while it was being written.")
    {
    }

    public ConcurrentChangeException(string message)
        : base(message)
    {
    }

    public ConcurrentChangeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
