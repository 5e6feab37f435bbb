using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Audit;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Enrollment;

/// <summary>Unenroll over an in-memory enrollment store with ETags and mocked cluster ports.</summary>
public sealed class UnenrollmentTests
{
    private static readonly TargetKey Key = new("shop", "web");
    private readonly Mock<ITargetCluster> _targets = new();
    private readonly Mock<ICleanupCluster> _cleanup = new();
    private readonly Mock<ITargetDataPurger> _purger = new();
    private readonly Mock<IAuditLog> _audit = new();
    private readonly MemoryEnrollmentStore _store = new();
    private readonly FakeTimeProvider _time = new(TargetBuilder.Now);
    private readonly List<AuditRecord> _appended = [];
    private readonly AIScaleTarget _target = TargetBuilder.Target().Vertical(TargetMode.Autonomous).Build();

    public UnenrollmentTests()
    {
        _targets.Setup(t => t.GetAsync(Key, It.IsAny<CancellationToken>())).ReturnsAsync(() => _target);
        _cleanup.Setup(c => c.DeleteTargetAsync(Key, "uid-web", It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _purger.Setup(p => p.PurgeAsync("uid-web", It.IsAny<CancellationToken>())).ReturnsAsync(3);
        _audit.Setup(a => a.AppendAsync(It.IsAny<AuditRecord>(), It.IsAny<CancellationToken>()))
            .Callback((AuditRecord r, CancellationToken _) => _appended.Add(r))
            .ReturnsAsync((AuditRecord r, CancellationToken _) => r);
        _store.Seed(new EnrolledTarget { Key = Key, Uid = "uid-web", EnrolledAt = TargetBuilder.Now, VerticalMode = TargetMode.Autonomous });
    }

    private Unenrollment Unenrollment()
    {
        var outbox = new EnrollmentOutbox(_store, _audit.Object);
        return new Unenrollment(_targets.Object, _cleanup.Object, _store, new WorkloadRevert(_cleanup.Object, _store, _time), _purger.Object, _audit.Object, outbox, _time);
    }

    [Fact]
    public async Task UnenrollAsync_EnrolledTarget_DeletesPurgesAuditsOnceKeyedByUidAndDropsTheRecord()
    {
        var result = await Unenrollment().UnenrollAsync(Key, Actor.Declared("alice"), null, CancellationToken.None);

        var audit = Assert.Single(_appended);
        Assert.Equal(
            ("alice", "unenroll", "unenroll-uidweb", 3, (EnrolledTarget?)null),
            (audit.Actor, audit.Action, audit.Key, result.PurgedItems, _store.Current));
        _targets.Verify(t => t.AddFinalizerAsync(Key, "uid-web", It.IsAny<CancellationToken>()), Times.Once);
        _targets.Verify(t => t.RemoveFinalizerAsync(Key, "uid-web", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task UnenrollAsync_AlreadyStartedByAnother_JoinsItUnderTheFirstCallersActorAndTime()
    {
        var started = TargetBuilder.Now.AddMinutes(-3);
        _store.Seed(_store.Current! with { Unenroll = new UnenrollProgress("bob", started, []) });

        await Unenrollment().UnenrollAsync(Key, Actor.Declared("alice"), null, CancellationToken.None);

        var audit = Assert.Single(_appended);
        Assert.Equal(("bob", started), (audit.Actor, audit.At));
    }

    [Fact]
    public async Task UnenrollAsync_DeleteRefusedByAConflict_ThrowsAndKeepsTheRecordedUnenrollUnaudited()
    {
        _cleanup.Setup(c => c.DeleteTargetAsync(Key, "uid-web", It.IsAny<CancellationToken>())).ReturnsAsync(false);

        await Assert.ThrowsAsync<ConcurrentChangeException>(
            () => Unenrollment().UnenrollAsync(Key, Actor.Declared("alice"), null, CancellationToken.None));

        Assert.Equal(("alice", 0), (_store.Current?.Unenroll?.Actor, _appended.Count));
        _purger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task UnenrollAsync_AnotherCallerFinishesBetweenItsReads_WritesNoSecondAuditRecord()
    {
        // The other caller finishes the whole unenroll (record deleted, AST deleting) just after this one read the target.
        var reads = 0;
        _targets.Setup(t => t.GetAsync(Key, It.IsAny<CancellationToken>()))
            .Callback(() =>
            {
                if (++reads == 1)
                    _store.Clear();
            })
            .ReturnsAsync(() => reads == 1 ? _target : TargetBuilder.Target().Vertical(TargetMode.Autonomous).Deleting().Build());

        await Unenrollment().UnenrollAsync(Key, Actor.Declared("alice"), null, CancellationToken.None);

        Assert.Equal((0, (EnrolledTarget?)null), (_appended.Count, _store.Current));
    }

    [Fact]
    public async Task UnenrollAsync_NeverSyncedTargetUnenrolledMeanwhile_DropsItsNewRecordAndWritesNoAuditRecord()
    {
        // No record yet; between this caller's reads another one creates a record, finishes and deletes it again.
        _store.Clear();
        var reads = 0;
        _targets.Setup(t => t.GetAsync(Key, It.IsAny<CancellationToken>()))
            .Callback(() => reads++)
            .ReturnsAsync(() => reads == 1 ? _target : TargetBuilder.Target().Vertical(TargetMode.Autonomous).Deleting().Build());

        await Unenrollment().UnenrollAsync(Key, Actor.Declared("alice"), null, CancellationToken.None);

        Assert.Equal((0, (EnrolledTarget?)null), (_appended.Count, _store.Current));
    }
}
