using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Pause;
using Xunit;

namespace Thoras.Domain.Tests.Pause;

public sealed class PauseServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 2, 2, 30, 0, TimeSpan.Zero));
    private readonly Mock<IPauseStore> _store = new();
    private readonly Mock<IMaintenanceWindowStore> _windows = new();
    private readonly Mock<IPauseMirror> _mirror = new();
    private readonly Mock<IReconcileTrigger> _trigger = new();
    private readonly PauseOptions _options = new();
    private PauseState _state = PauseState.Running;

    public PauseServiceTests()
    {
        _store.Setup(s => s.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => _state);
        _store.Setup(s => s.UpdateAsync(It.IsAny<Func<PauseState, PauseTransition>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Func<PauseState, PauseTransition> decide, CancellationToken _) =>
            {
                var transition = decide(_state);
                _state = transition.After;
                return transition;
            });
        _windows.Setup(w => w.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([new WindowBuilder().Build()]);
    }

    private PauseService Service() =>
        new(_store.Object, _windows.Object, _mirror.Object, [_trigger.Object], _options, _time);

    [Fact]
    public async Task PauseAsync_FromRunning_WritesThroughToMirror()
    {
        var outcome = await Service().PauseAsync("alice", "freeze", CancellationToken.None);

        Assert.True(outcome.Transition.Changed);
        _mirror.Verify(m => m.WriteAsync(It.Is<PauseState>(s => s.IsPaused && s.Revision == 1), MirrorWriteMode.WriteThrough, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PauseAsync_AlreadyPaused_WritesNothing()
    {
        _state = new PauseStateBuilder().WithManual().Build();

        var outcome = await Service().PauseAsync("alice", "freeze", CancellationToken.None);

        Assert.False(outcome.Transition.Changed);
        _mirror.Verify(m => m.WriteAsync(It.IsAny<PauseState>(), It.IsAny<MirrorWriteMode>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ResumeAsync_FromPaused_TriggersReconcile()
    {
        _state = new PauseStateBuilder().WithManual().Build();

        await Service().ResumeAsync("alice", null, force: false, CancellationToken.None);

        _trigger.Verify(t => t.TriggerAsync(It.Is<string>(r => r.Contains("alice", StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ResumeAsync_WindowStillHolds_DoesNotTriggerReconcile()
    {
        _state = new PauseStateBuilder().WithManual().WithWindow("nightly").Build();

        await Service().ResumeAsync("alice", null, force: false, CancellationToken.None);

        _trigger.Verify(t => t.TriggerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ResumeAsync_ForceDuringActiveWindow_SkipsTheActiveOccurrence()
    {
        _state = new PauseStateBuilder().WithWindow("nightly").Build();

        await Service().ResumeAsync("alice", "hotfix", force: true, CancellationToken.None);
        var resync = await Service().SyncWindowsAsync(CancellationToken.None);

        Assert.False(_state.IsPaused);
        Assert.False(resync.Transition.Changed);
        Assert.Equal(new DateTimeOffset(2026, 6, 2, 2, 0, 0, TimeSpan.Zero), _state.SkippedWindows["nightly"]);
    }

    [Fact]
    public async Task ResumeAsync_MirrorWriteFails_ChangeStaysAndErrorIsReported()
    {
        _state = new PauseStateBuilder().WithManual().Build();
        _mirror.Setup(m => m.WriteAsync(It.IsAny<PauseState>(), It.IsAny<MirrorWriteMode>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("api server down"));

        var outcome = await Service().ResumeAsync("alice", null, force: false, CancellationToken.None);

        Assert.False(_state.IsPaused);
        Assert.Equal("api server down", outcome.MirrorError);
    }

    [Fact]
    public async Task ResumeAsync_ReconcileTriggerFails_IsReportedNotThrown()
    {
        _state = new PauseStateBuilder().WithManual().Build();
        _trigger.Setup(t => t.TriggerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("queue down"));

        var outcome = await Service().ResumeAsync("alice", null, force: false, CancellationToken.None);

        Assert.Contains("queue down", Assert.Single(outcome.ReconcileErrors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncMirrorAsync_DirectEditToPaused_AdoptsConfigMapHolder()
    {
        _mirror.Setup(m => m.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new MirrorObservation(true, true, false, 0));

        await Service().SyncMirrorAsync(CancellationToken.None);

        var holder = _state.Holders[PauseHolder.ConfigMap];
        Assert.Equal("configmap", holder.Actor);
        _mirror.Verify(m => m.WriteAsync(_state, MirrorWriteMode.Reconcile, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SyncMirrorAsync_DirectEditToRunning_ResumesAndTriggersReconcile()
    {
        _state = new PauseStateBuilder().WithManual().AtRevision(3).Build();
        _mirror.Setup(m => m.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new MirrorObservation(true, false, true, 3));

        await Service().SyncMirrorAsync(CancellationToken.None);

        Assert.False(_state.IsPaused);
        Assert.Equal("configmap", _state.ChangedBy);
        _trigger.Verify(t => t.TriggerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SyncMirrorAsync_EditToRunningWhileWindowHolds_WritesPausedBack()
    {
        _state = new PauseStateBuilder().WithWindow("nightly").AtRevision(3).Build();
        _mirror.Setup(m => m.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new MirrorObservation(true, false, true, 3));

        var sync = await Service().SyncMirrorAsync(CancellationToken.None);

        Assert.False(sync.Adopted.Changed);
        _mirror.Verify(m => m.WriteAsync(It.Is<PauseState>(s => s.IsPaused), MirrorWriteMode.Reconcile, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SyncMirrorAsync_MirrorShowsState_WritesNothing()
    {
        _state = new PauseStateBuilder().WithManual().AtRevision(3).Build();
        _mirror.Setup(m => m.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new MirrorObservation(true, true, true, 3));

        var sync = await Service().SyncMirrorAsync(CancellationToken.None);

        Assert.False(sync.Rewritten);
        _mirror.Verify(m => m.WriteAsync(It.IsAny<PauseState>(), It.IsAny<MirrorWriteMode>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SyncMirrorAsync_MirrorMissing_CreatesIt()
    {
        _mirror.Setup(m => m.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(MirrorObservation.Missing);

        var sync = await Service().SyncMirrorAsync(CancellationToken.None);

        Assert.True(sync.Rewritten);
        Assert.False(_state.IsPaused);
        _mirror.Verify(m => m.WriteAsync(PauseState.Running, MirrorWriteMode.Reconcile, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SyncAppSettingAsync_SettingOn_AddsAppSettingHolder()
    {
        _options.ScalingPaused = true;

        await Service().SyncAppSettingAsync(CancellationToken.None);

        Assert.Equal(["app-setting"], _state.Holders.Keys);
    }

    [Fact]
    public async Task DeleteWindowAsync_WhileItHoldsDuringManualPause_RemovesOnlyItsHolder()
    {
        _state = new PauseStateBuilder().WithManual().WithWindow("nightly").Build();
        _windows.Setup(w => w.DeleteAsync("nightly", It.IsAny<Thoras.Domain.Audit.AuditRecord>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var deleted = await Service().DeleteWindowAsync("nightly", "alice", "not needed", CancellationToken.None);

        Assert.True(deleted);
        Assert.Equal(["manual"], _state.Holders.Keys);
    }
}
