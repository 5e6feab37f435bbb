using Thoras.Domain.Audit;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Enrollment;

/// <summary>
/// Unenrolls a target, through the API or <c>kubectl delete ast</c> (the app's finalizer): reverts its workload,
/// deletes every row and blob of its UID, writes the audit record, deletes its enrollment record and removes the
/// finalizer, in that order. Each step is idempotent and recorded in <see cref="UnenrollProgress"/>, so a crash at
/// any step is finished by the next sync tick; the finalizer goes last, so the AST stays visible until all is done.
/// </summary>
public sealed class Unenrollment(
    ITargetCluster targets, ICleanupCluster cluster, IEnrollmentStore store, WorkloadRevert revert, ITargetDataPurger purger, IAuditLog audit, EnrollmentOutbox outbox, TimeProvider time,
    EnrollmentSignals? signals = null)
{
    /// <summary>Step name: the workload is reverted.</summary>
    public const string RevertStep = "revert";

    /// <summary>Step name: the UID's rows and blobs are deleted.</summary>
    public const string PurgeStep = "purge";

    /// <summary>Step name: the audit record is written.</summary>
    public const string AuditStep = "audit";

    /// <summary>How many times unenroll re-reads after losing a race to a concurrent writer.</summary>
    public const int MaxAttempts = 20;

    /// <summary>
    /// Unenrolls the target at <paramref name="key"/> for <paramref name="actor"/>: records that unenroll started (the
    /// first caller's actor and time win; later callers join it), deletes the AST (kept by the finalizer), then cleans
    /// up. A record left by an older target of the same name is cleaned up first. Throws
    /// <see cref="TargetNotFoundException"/> when there is no target.
    /// </summary>
    public async Task<UnenrollResult> UnenrollAsync(TargetKey key, Actor actor, Reason? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        for (var attempt = 1; ; attempt++)
        {
            // The record is read before the target. A finished unenroll marks the AST deleted before it deletes the
            // record, so a caller that finds no record then sees the AST deleting or gone, never a stale live copy it
            // would start a second unenroll (and a second audit record) from.
            var stored = await store.GetAsync(key, cancellationToken);
            AIScaleTarget? target;
            TargetMetadata metadata;
            try
            {
                target = await targets.GetAsync(key, cancellationToken) ?? throw new TargetNotFoundException(key, null);
                metadata = target.Metadata;
            }
            catch (InvalidTargetException ex)
            {
                // An invalid spec cannot be resolved to a workload, but it can still be unenrolled.
                (target, metadata) = (null, ex.Target.Metadata);
            }

            var uid = metadata.Uid;
            EnrolledTarget? record;
            try
            {
                record = stored;
                if (record is not null && record.Uid != uid)
                {
                    // The state of a target that no longer exists: cleaned up before this one is unenrolled.
                    await ForgetQuietlyAsync(record, cancellationToken);
                    continue;
                }

                var progress = new UnenrollProgress(actor.Name, time.GetUtcNow(), []);
                if (record is null && metadata.IsDeleting)
                {
                    // Being deleted and no record left: an earlier run finished the cleanup (and its audit record)
                    // but not the finalizer's removal. Only that is left.
                    return await FinishAsync(metadata, target, null, reason?.Text, cancellationToken);
                }

                if (record is null)
                {
                    record = await store.SaveAsync(
                        new EnrolledTarget
                        {
                            Key = key,
                            Uid = uid,
                            EnrolledAt = time.GetUtcNow(),
                            VerticalMode = target?.Spec.ModeOf(ScalingDirection.Vertical) ?? TargetMode.Recommendation,
                            HorizontalMode = target?.Spec.ModeOf(ScalingDirection.Horizontal) ?? TargetMode.Recommendation,
                            Unenroll = progress,
                        },
                        cancellationToken);
                    if (!await IsStillThereAsync(key, uid, cancellationToken))
                    {
                        // Deleted since it was read: an unenroll that finished in between wrote the audit record and
                        // deleted its own record just before this one was created. This record goes again.
                        await DeleteRecordAsync(key, uid, cancellationToken);
                        continue;
                    }
                }
                else if (record.Unenroll is null)
                {
                    record = await store.UpdateAsync(key, uid, r => r with { Unenroll = r.Unenroll ?? progress }, cancellationToken);
                }
            }
            catch (EnrollmentConflictException) when (attempt < MaxAttempts)
            {
                // Another caller created or changed the record first: read theirs and join their unenroll.
                continue;
            }

            if (!metadata.IsDeleting)
            {
                // Without the finalizer the delete below would remove the AST before the cleanup is done.
                await targets.AddFinalizerAsync(key, uid, cancellationToken);
                if (!await cluster.DeleteTargetAsync(key, uid, cancellationToken) && await IsStillThereAsync(key, uid, cancellationToken))
                {
                    // The delete was refused (a conflict), not done: the recorded unenroll is finished by a retry or the sync tick.
                    throw new ConcurrentChangeException($"The AIScaleTarget {key} could not be deleted because of a concurrent change; its unenroll is recorded and continues.");
                }
            }

            return await FinishAsync(metadata, target, record, reason?.Text, cancellationToken);
        }
    }

    /// <summary>
    /// Finishes the unenroll of the target <paramref name="metadata"/> describes (being deleted, or with unenroll
    /// recorded). <paramref name="target"/> is null when its spec is invalid or it is gone; <paramref name="record"/>
    /// when the app holds no record of its UID any more.
    /// </summary>
    public async Task<UnenrollResult> FinishAsync(TargetMetadata metadata, AIScaleTarget? target, EnrolledTarget? record, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var key = metadata.Key;
        var uid = metadata.Uid;
        if (record is not null && record.Uid != uid)
            record = null;
        if (record is not null && record.Unenroll is null)
        {
            var progress = new UnenrollProgress(ModeSwitch.ClusterActor, time.GetUtcNow(), []);
            record = await store.UpdateAsync(key, uid, r => r with { Unenroll = r.Unenroll ?? progress }, cancellationToken);
        }

        var outcome = new RevertOutcome();
        if (!IsDone(record, RevertStep))
        {
            var resolved = target is null ? null : await targets.ResolveAsync(target, cancellationToken);
            // Stamped with the unenroll's start, so callers finishing it at once restart the workload once.
            (record, outcome) = await revert.RevertAsync(key, record, resolved, ScalingDirections.All, cancellationToken, record?.Unenroll?.StartedAt);
            record = await MarkAsync(record, RevertStep, cancellationToken);
        }

        var purged = 0;
        if (!IsDone(record, PurgeStep))
        {
            purged = await purger.PurgeAsync(uid, cancellationToken);
            record = await MarkAsync(record, PurgeStep, cancellationToken);
        }

        // Without a record the audit was written by the run that deleted it. Keyed by the UID and stamped with the
        // unenroll's start: callers finishing the same unenroll store one record.
        if (record is not null && !IsDone(record, AuditStep))
        {
            await outbox.DeliverAsync(record, cancellationToken);
            await audit.AppendAsync(
                new AuditRecord(
                    record.Unenroll!.StartedAt, record.Unenroll.Actor, "unenroll", key.ToString(),
                    Reason: reason ?? outcome.Describe(),
                    Previous: $"vertical={record.VerticalMode.ToWireName()}, horizontal={record.HorizontalMode.ToWireName()}, enrolled since {record.EnrolledAt:O}",
                    Current: "unenrolled",
                    TargetUid: uid)
                {
                    Key = "unenroll-" + new string(uid.Where(char.IsAsciiLetterOrDigit).Take(40).ToArray()),
                },
                cancellationToken);
            record = await MarkAsync(record, AuditStep, cancellationToken);
        }

        await DeleteRecordAsync(key, uid, cancellationToken);
        var finalizerRemoved = await targets.RemoveFinalizerAsync(key, uid, cancellationToken);
        var result = new UnenrollResult(key, uid, outcome, purged, finalizerRemoved);
        await (signals?.UnenrolledAsync(result, target, cancellationToken) ?? Task.CompletedTask);
        return result;
    }

    /// <summary>
    /// Deletes what the app holds for a record whose AST is gone (deleted while the app had no finalizer on it, or
    /// replaced by a new AST of the same name). The workload cannot be resolved without the AST, so only an HPA floor
    /// is restored.
    /// </summary>
    public Task<UnenrollResult> ForgetAsync(EnrolledTarget record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var metadata = new TargetMetadata { Namespace = record.Key.Namespace, Name = record.Key.Name, Uid = record.Uid };
        return FinishAsync(metadata, null, record, "the AIScaleTarget is gone", cancellationToken);
    }

    private async Task<bool> IsStillThereAsync(TargetKey key, string uid, CancellationToken cancellationToken)
    {
        try
        {
            return await targets.GetAsync(key, cancellationToken) is { } target && target.Metadata.Uid == uid && !target.Metadata.IsDeleting;
        }
        catch (InvalidTargetException ex)
        {
            return ex.Target.Metadata.Uid == uid && !ex.Target.Metadata.IsDeleting;
        }
    }

    private async Task DeleteRecordAsync(TargetKey key, string uid, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.DeleteAsync(key, uid, cancellationToken);
                return;
            }
            catch (EnrollmentConflictException) when (attempt < MaxAttempts)
            {
                // A concurrent writer (another caller marking a step) changed it: delete the newer version.
            }
        }
    }

    private async Task ForgetQuietlyAsync(EnrolledTarget stale, CancellationToken cancellationToken)
    {
        try
        {
            await ForgetAsync(stale, cancellationToken);
        }
        catch (EnrollmentConflictException)
        {
            // Another caller is cleaning it up too; the next read sees what is left.
        }
    }

    private static bool IsDone(EnrolledTarget? record, string step) =>
        record?.Unenroll?.CompletedSteps.Contains(step) == true;

    private async Task<EnrolledTarget?> MarkAsync(EnrolledTarget? record, string step, CancellationToken cancellationToken)
    {
        if (record is null)
            return null;
        return await store.UpdateAsync(
            record.Key,
            record.Uid,
            r => r.Unenroll is { } u && !u.CompletedSteps.Contains(step) ? r with { Unenroll = u with { CompletedSteps = [.. u.CompletedSteps, step] } } : r,
            cancellationToken);
    }
}

/// <summary>What an unenroll did.</summary>
/// <param name="Key">The target.</param>
/// <param name="Uid">Its UID.</param>
/// <param name="Revert">What was reverted on the workload.</param>
/// <param name="PurgedItems">How many rows and blobs of the UID were deleted.</param>
/// <param name="FinalizerRemoved">Whether this run removed the finalizer (false when already gone).</param>
public sealed record UnenrollResult(TargetKey Key, string Uid, RevertOutcome Revert, int PurgedItems, bool FinalizerRemoved);
