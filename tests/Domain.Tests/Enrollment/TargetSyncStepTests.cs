using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Audit;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Enrollment;

/// <summary>
/// The sync step's adoption path, one row per situation: the enrolled record and the AST as listed, and what the step
/// must leave behind (the stored modes, whether a change is still pending, the audit records by actor, whether the
/// record was written at all). Over the in-memory enrollment store with ETags and mocked cluster ports.
/// </summary>
public sealed class TargetSyncStepTests
{
    private static readonly TargetKey Key = new("shop", "web");

    /// <summary>One row: what is stored and listed, and what must follow.</summary>
    /// <param name="Name">The situation.</param>
    /// <param name="Record">The enrollment record before the tick.</param>
    /// <param name="Target">The AST the cluster lists (and answers a get with).</param>
    /// <param name="Vertical">The record's vertical mode after the tick.</param>
    /// <param name="Actors">The audit records' actors after the tick, in order.</param>
    /// <param name="Writes">Whether the record is written at all.</param>
    public sealed record SyncCase(string Name, EnrolledTarget Record, AIScaleTarget Target, TargetMode Vertical, string[] Actors, bool Writes)
    {
        public override string ToString() => Name;
    }

    private static EnrolledTarget Enrolled(TargetMode vertical, PendingModeChange? pending = null) =>
        new() { Key = Key, Uid = "uid-web", EnrolledAt = TargetBuilder.Now, VerticalMode = vertical, Pending = pending };

    private static AIScaleTarget Ast(TargetMode vertical, string version, string? modeChange = null)
    {
        var target = TargetBuilder.Target().Vertical(vertical).WithResourceVersion(version).Build();
        return target with
        {
            Metadata = target.Metadata with
            {
                Finalizers = [AIScaleTarget.CleanupFinalizer],
                Annotations = modeChange is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [PendingModeChange.ModeChangeAnnotation] = modeChange },
            },
        };
    }

    /// <summary>alice's API change to autonomous, recorded on the row before its AST write (base version 1).</summary>
    private static readonly PendingModeChange AliceToAutonomous =
        new("chg-alice", "alice", null, ScalingDirection.Vertical, TargetMode.Recommendation, TargetMode.Autonomous, "1", TargetBuilder.Now);

    public static TheoryData<SyncCase> Cases => new()
    {
        // kubectl edit ast: the spec says autonomous, the record recommendation, nothing pending: adopted by cluster.
        new SyncCase("kubectl edit adopted", Enrolled(TargetMode.Recommendation), Ast(TargetMode.Autonomous, "2"),
            TargetMode.Autonomous, [ModeSwitch.ClusterActor], Writes: true),

        // alice's change is pending and its AST write landed (the annotation carries its id): the divergence is her
        // change, finished under her name, not a kubectl edit adopted as cluster's.
        new SyncCase("API change pending, its write landed", Enrolled(TargetMode.Recommendation, AliceToAutonomous), Ast(TargetMode.Autonomous, "2", "chg-alice"),
            TargetMode.Autonomous, ["alice"], Writes: true),

        // A pending change and a spec that differs from the record, written by someone else after alice's read (the
        // AST moved past her base version without her id): her change can no longer land and is released; the edit is
        // then adopted once, as cluster's. Never both, never alice's.
        new SyncCase("API change pending, AST moved on without it", Enrolled(TargetMode.Recommendation, AliceToAutonomous), Ast(TargetMode.Autonomous, "3", "chg-other"),
            TargetMode.Autonomous, [ModeSwitch.ClusterActor], Writes: true),

        // Record and spec agree, the finalizer is there, nothing pending: no write, no audit, no cluster write.
        new SyncCase("unchanged target", Enrolled(TargetMode.Recommendation), Ast(TargetMode.Recommendation, "7"),
            TargetMode.Recommendation, [], Writes: false),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunAsync_Target_LeavesTheRecordAndTheAuditAsExpected(SyncCase row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var store = new MemoryEnrollmentStore();
        store.Seed(row.Record);
        var targets = new Mock<ITargetCluster>(MockBehavior.Strict);
        targets.Setup(t => t.ListAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TargetListing([row.Target], []));
        targets.Setup(t => t.GetAsync(Key, It.IsAny<CancellationToken>())).ReturnsAsync(row.Target);
        targets.Setup(t => t.AddFinalizerAsync(Key, "uid-web", It.IsAny<CancellationToken>())).ReturnsAsync(false);
        var writer = new Mock<IModeWriter>(MockBehavior.Strict);
        var cleanup = new Mock<ICleanupCluster>(MockBehavior.Strict);
        var appended = new List<AuditRecord>();
        var audit = new Mock<IAuditLog>();
        audit.Setup(a => a.AppendAsync(It.IsAny<AuditRecord>(), It.IsAny<CancellationToken>()))
            .Callback((AuditRecord r, CancellationToken _) => appended.Add(r))
            .ReturnsAsync((AuditRecord r, CancellationToken _) => r);
        var time = new FakeTimeProvider(TargetBuilder.Now + TimeSpan.FromSeconds(5));
        var outbox = new EnrollmentOutbox(store, audit.Object);
        var revert = new WorkloadRevert(cleanup.Object, store, time);
        var unenrollment = new Unenrollment(targets.Object, cleanup.Object, store, revert, Mock.Of<ITargetDataPurger>(), audit.Object, outbox, time);
        var modes = new ModeSwitch(targets.Object, writer.Object, store, revert, unenrollment, outbox, time);
        var step = new TargetSyncStep(targets.Object, store, modes, unenrollment, cleanup.Object, outbox);

        await step.RunAsync(CancellationToken.None);

        var stored = store.Current!;
        Assert.Equal(
            (row.Vertical, (PendingModeChange?)null, 0, string.Join(",", row.Actors), row.Writes),
            (stored.VerticalMode, stored.Pending, stored.Outbox.Count, string.Join(",", appended.Select(a => a.Actor)), store.Writes > 0));
        Assert.All(appended, a => Assert.Equal(("mode-change", "vertical=autonomous"), (a.Action, a.Current)));
        // The step never writes the AST's mode itself, and never restarts a workload for a mode it only records.
        writer.VerifyNoOtherCalls();
        cleanup.VerifyNoOtherCalls();

        // A second tick finds nothing left to do.
        var writes = store.Writes;
        await step.RunAsync(CancellationToken.None);
        Assert.Equal((writes, row.Actors.Length), (store.Writes, appended.Count));
    }
}
