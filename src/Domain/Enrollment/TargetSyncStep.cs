using Thoras.Domain.Sync;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Enrollment;

/// <summary>
/// The sync timer's step for targets: delivers audit records left in records' outboxes, enrolls newly seen ASTs and
/// puts the cleanup finalizer on them, finishes or abandons API mode changes left pending by a crash, adopts mode
/// changes made with <c>kubectl edit</c> (actor <c>cluster</c>) and finishes reverts left half-done, finishes the
/// unenroll of deleted ASTs and of unenrolls that crashed, and forgets records whose AST is gone. Each target is
/// handled on its own: one failing does not stop the others, and the step reports the failures at the end.
/// </summary>
public sealed class TargetSyncStep(
    ITargetCluster targets, IEnrollmentStore store, ModeSwitch modes, Unenrollment unenrollment, ICleanupCluster cluster, EnrollmentOutbox outbox)
    : ISyncStep
{
    public string Name => "targets";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var listing = await targets.ListAsync([], cancellationToken);
        var records = (await store.ListAsync(cancellationToken)).ToDictionary(r => r.Key);
        var tally = new Tally();

        // Audit records a crashed writer left in a record's outbox are delivered first (each is stored once).
        foreach (var record in records.Values.Where(r => r.Outbox.Count > 0).ToList())
        {
            await tally.RunAsync(record.Key, async () =>
            {
                if (await outbox.DeliverAsync(record, cancellationToken) is { } delivered)
                    records[record.Key] = delivered;
            });
        }

        foreach (var target in listing.Targets)
            await tally.RunAsync(target.Key, () => SyncAsync(target, records.GetValueOrDefault(target.Key), tally, cancellationToken));

        foreach (var invalid in listing.Invalid.Where(i => i.Metadata.IsDeleting && i.Metadata.HasFinalizer(AIScaleTarget.CleanupFinalizer)))
        {
            await tally.RunAsync(invalid.Key, async () =>
            {
                await unenrollment.FinishAsync(invalid.Metadata, null, records.GetValueOrDefault(invalid.Key), null, cancellationToken);
                tally.Unenrolled++;
            });
        }

        // An invalid target keeps its record (and history): an edit that breaks the spec is not an unenroll.
        var present = listing.Targets.Select(t => (t.Key, t.Metadata.Uid))
            .Concat(listing.Invalid.Select(i => (i.Key, i.Metadata.Uid)))
            .ToHashSet();
        foreach (var record in records.Values.Where(r => !present.Contains((r.Key, r.Uid))))
        {
            await tally.RunAsync(record.Key, async () =>
            {
                await unenrollment.ForgetAsync(record, cancellationToken);
                tally.Forgotten++;
            });
        }

        var summary = $"{listing.Targets.Count} targets: {tally.Enrolled} enrolled, {tally.Finalized} finalizers added, {tally.Adopted} mode edits adopted, " +
            $"{tally.Reverted} reverted, {tally.Unenrolled} unenrolled, {tally.Forgotten} records of vanished targets removed";
        if (tally.Failures.Count > 0)
            throw new TargetSyncException($"{summary}; failed: {string.Join("; ", tally.Failures)}");
        return summary;
    }

    private async Task SyncAsync(AIScaleTarget target, EnrolledTarget? record, Tally tally, CancellationToken cancellationToken)
    {
        var key = target.Key;
        var uid = target.Metadata.Uid;
        if (record is not null && record.Uid != uid)
        {
            // The AST was deleted and recreated with the same name: the old one's state goes, the new one starts fresh.
            await unenrollment.ForgetAsync(record, cancellationToken);
            tally.Forgotten++;
            record = null;
        }

        if (target.Metadata.IsDeleting)
        {
            if (target.Metadata.HasFinalizer(AIScaleTarget.CleanupFinalizer))
            {
                await unenrollment.FinishAsync(target.Metadata, target, record, null, cancellationToken);
                tally.Unenrolled++;
            }

            return;
        }

        if (record?.Unenroll is not null)
        {
            // An API unenroll crashed before the AST was deleted: delete it, then clean up as for kubectl delete.
            await targets.AddFinalizerAsync(key, uid, cancellationToken);
            await cluster.DeleteTargetAsync(key, uid, cancellationToken);
            await unenrollment.FinishAsync(target.Metadata with { DeletionTimestamp = record.Unenroll.StartedAt }, target, record, null, cancellationToken);
            tally.Unenrolled++;
            return;
        }

        // The listing shows the finalizer: a target that has it costs no request (AddFinalizerAsync reads before it writes).
        if (!target.Metadata.HasFinalizer(AIScaleTarget.CleanupFinalizer) && await targets.AddFinalizerAsync(key, uid, cancellationToken))
            tally.Finalized++;
        if (record is null)
        {
            record = await modes.EnrollAsync(target, cancellationToken);
            tally.Enrolled++;
        }

        var adoption = await modes.AdoptAsync(target, record, cancellationToken);
        tally.Adopted += adoption.Changed.Count;
        if (adoption.Revert.ChangedAnything)
            tally.Reverted++;
    }

    private sealed class Tally
    {
        public int Enrolled { get; set; }

        public int Finalized { get; set; }

        public int Adopted { get; set; }

        public int Reverted { get; set; }

        public int Unenrolled { get; set; }

        public int Forgotten { get; set; }

        public List<string> Failures { get; } = [];

        public async Task RunAsync(TargetKey key, Func<Task> work)
        {
            try
            {
                await work();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failures.Add($"{key}: {ex.Message}");
            }
        }
    }
}

/// <summary>The targets sync step handled every target it could, but some failed; the message lists them.</summary>
public sealed class TargetSyncException : Exception
{
    public TargetSyncException()
    {
    }

    public TargetSyncException(string message)
        : base(message)
    {
    }

    public TargetSyncException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
