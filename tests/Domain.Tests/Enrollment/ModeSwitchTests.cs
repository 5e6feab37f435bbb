using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Audit;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Enrollment;

/// <summary>
/// The mode switch's read, decide, conditional write: over an in-memory enrollment store with ETags and mocked
/// cluster ports, so each race is played out exactly.
/// </summary>
public sealed class ModeSwitchTests
{
    private static readonly TargetKey Key = new("shop", "web");
    private readonly Mock<ITargetCluster> _targets = new();
    private readonly Mock<IModeWriter> _writer = new();
    private readonly Mock<ICleanupCluster> _cleanup = new();
    private readonly Mock<IAuditLog> _audit = new();
    private readonly MemoryEnrollmentStore _store = new();
    private readonly FakeTimeProvider _time = new(TargetBuilder.Now);
    private readonly List<AuditRecord> _appended = [];
    private AIScaleTarget _target = TargetBuilder.Target().Vertical(TargetMode.Recommendation).Build();

    public ModeSwitchTests()
    {
        _targets.Setup(t => t.GetAsync(Key, It.IsAny<CancellationToken>())).ReturnsAsync(() => _target);
        _audit.Setup(a => a.AppendAsync(It.IsAny<AuditRecord>(), It.IsAny<CancellationToken>()))
            .Callback((AuditRecord r, CancellationToken _) => _appended.Add(r))
            .ReturnsAsync((AuditRecord r, CancellationToken _) => r);
        _store.Seed(new EnrolledTarget { Key = Key, Uid = "uid-web", EnrolledAt = TargetBuilder.Now, VerticalMode = TargetMode.Recommendation });
    }

    private ModeSwitch Switch()
    {
        var outbox = new EnrollmentOutbox(_store, _audit.Object);
        var revert = new WorkloadRevert(_cleanup.Object, _store, _time);
        var unenrollment = new Unenrollment(_targets.Object, _cleanup.Object, _store, revert, Mock.Of<ITargetDataPurger>(), _audit.Object, outbox, _time);
        return new ModeSwitch(_targets.Object, _writer.Object, _store, revert, unenrollment, outbox, _time);
    }

    /// <summary>The AST write succeeds and shows the new mode, as the API server would.</summary>
    private void WritesSucceed() =>
        _writer.Setup(w => w.WriteModeAsync(Key, It.IsAny<string>(), It.IsAny<ScalingDirection>(), It.IsAny<TargetMode>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((TargetKey _, string _, ScalingDirection _, TargetMode mode, string _, CancellationToken _) =>
                _target = TargetBuilder.Target().Vertical(mode).WithResourceVersion("2").Build())
            .ReturnsAsync("2");

    [Fact]
    public async Task SetAsync_ModeAlreadyInForce_WritesRestartsAndAuditsNothing()
    {
        var change = await Switch().SetAsync(Key, ScalingDirection.Vertical, TargetMode.Recommendation, Actor.Declared("alice"), null, CancellationToken.None);

        Assert.Equal((false, 0, 0), (change.Changed, _store.Writes, _appended.Count));
        _writer.VerifyNoOtherCalls();
        _cleanup.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task SetAsync_RealChange_WritesTheAstAtTheReadVersionAndAuditsOnceUnderTheActor()
    {
        WritesSucceed();

        var change = await Switch().SetAsync(Key, ScalingDirection.Vertical, TargetMode.Autonomous, Actor.Declared("alice"), null, CancellationToken.None);

        _writer.Verify(w => w.WriteModeAsync(Key, "1", ScalingDirection.Vertical, TargetMode.Autonomous, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        var audit = Assert.Single(_appended);
        var stored = _store.Current!;
        Assert.Equal(
            (true, "alice", "mode-change", "vertical=autonomous", TargetMode.Autonomous, true, 0),
            (change.Changed, audit.Actor, audit.Action, audit.Current, stored.VerticalMode, stored.Pending is null, stored.Outbox.Count));
    }

    [Fact]
    public async Task SetAsync_AstChangedSinceTheRead_ReleasesThePendingChangeAndDecidesAgainOnAFreshRead()
    {
        var calls = 0;
        _writer.Setup(w => w.WriteModeAsync(Key, It.IsAny<string>(), ScalingDirection.Vertical, TargetMode.Autonomous, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((TargetKey _, string _, ScalingDirection _, TargetMode mode, string _, CancellationToken _) =>
            {
                if (++calls == 1)
                {
                    // Someone else wrote the AST after our read (a label change): our version is stale.
                    _target = TargetBuilder.Target().Vertical(TargetMode.Recommendation).WithResourceVersion("5").Build();
                    throw new TargetConflictException(Key, 1, null);
                }

                _target = TargetBuilder.Target().Vertical(mode).WithResourceVersion("6").Build();
                return Task.FromResult("6");
            });

        await Switch().SetAsync(Key, ScalingDirection.Vertical, TargetMode.Autonomous, Actor.Declared("alice"), null, CancellationToken.None);

        _writer.Verify(w => w.WriteModeAsync(Key, "5", ScalingDirection.Vertical, TargetMode.Autonomous, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal((1, TargetMode.Autonomous, true), (_appended.Count, _store.Current!.VerticalMode, _store.Current.Pending is null));
    }

    [Fact]
    public async Task SetAsync_WouldMakeBothAutonomous_IsRefusedBeforeAnyWrite()
    {
        _target = TargetBuilder.Target().Vertical(TargetMode.Autonomous).Horizontal(TargetMode.Recommendation).Build();
        _store.Seed(_store.Current! with { VerticalMode = TargetMode.Autonomous });
        var writes = _store.Writes;

        await Assert.ThrowsAsync<InvalidModeChangeException>(
            () => Switch().SetAsync(Key, ScalingDirection.Horizontal, TargetMode.Autonomous, Actor.Declared("alice"), null, CancellationToken.None));

        Assert.Equal((writes, 0), (_store.Writes, _appended.Count));
        _writer.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task SetAsync_RecordChangedBetweenReadAndWrite_RetriesOnTheNewETagAndAuditsOnce()
    {
        WritesSucceed();
        _store.ConflictOnNextSave = true;

        await Switch().SetAsync(Key, ScalingDirection.Vertical, TargetMode.Autonomous, Actor.Declared("alice"), null, CancellationToken.None);

        Assert.Equal((1, TargetMode.Autonomous), (_appended.Count, _store.Current!.VerticalMode));
        _writer.Verify(w => w.WriteModeAsync(Key, It.IsAny<string>(), It.IsAny<ScalingDirection>(), It.IsAny<TargetMode>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }
}

/// <summary>One enrollment record in memory with ETags, as Table Storage keeps it: a save on a stale ETag conflicts.</summary>
internal sealed class MemoryEnrollmentStore : IEnrollmentStore
{
    private int _version;

    public EnrolledTarget? Current { get; private set; }

    /// <summary>How many saves and deletes succeeded (seeding not counted).</summary>
    public int Writes { get; private set; }

    /// <summary>The next save meets another writer's change first (its ETag moves on), as in a race.</summary>
    public bool ConflictOnNextSave { get; set; }

    public void Seed(EnrolledTarget record) => Current = record with { ETag = "e" + ++_version };

    /// <summary>Another writer deleted the record.</summary>
    public void Clear() => Current = null;

    public Task<EnrolledTarget?> GetAsync(TargetKey key, CancellationToken cancellationToken) =>
        Task.FromResult(Current is { } c && c.Key == key ? c : null);

    public Task<IReadOnlyList<EnrolledTarget>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EnrolledTarget>>(Current is null ? [] : [Current]);

    public Task<EnrolledTarget> SaveAsync(EnrolledTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (ConflictOnNextSave && Current is not null)
        {
            ConflictOnNextSave = false;
            Current = Current with { ETag = "e" + ++_version };
        }

        if (target.ETag != Current?.ETag)
            throw new EnrollmentConflictException($"{target.Key} changed since it was read");
        Writes++;
        Current = target with { ETag = "e" + ++_version };
        return Task.FromResult(Current);
    }

    public Task DeleteAsync(TargetKey key, string uid, CancellationToken cancellationToken)
    {
        if (Current is { } c && c.Key == key && c.Uid == uid)
        {
            Writes++;
            Current = null;
        }

        return Task.CompletedTask;
    }
}
