using Moq;
using Thoras.Domain.Pause;
using Xunit;

namespace Thoras.Domain.Tests.Pause;

/// <summary>The one pause status the gate and <c>GET /api/system/pause</c> both give.</summary>
public sealed class PauseStatusTests
{
    private const string ConfigMap = "ConfigMap thoras/thoras-operator-system-config";

    private static Mock<IPauseMirror> Mirror(MirrorObservation? observation = null, Exception? error = null)
    {
        var mirror = new Mock<IPauseMirror>();
        mirror.Setup(m => m.Name).Returns(ConfigMap);
        if (error is null)
            mirror.Setup(m => m.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(observation ?? MirrorObservation.Missing);
        else
            mirror.Setup(m => m.ReadAsync(It.IsAny<CancellationToken>())).ThrowsAsync(error);
        return mirror;
    }

    private static Mock<IPauseStore> Store(PauseState? state = null, Exception? error = null)
    {
        var store = new Mock<IPauseStore>();
        if (error is null)
            store.Setup(s => s.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(state ?? PauseState.Running);
        else
            store.Setup(s => s.ReadAsync(It.IsAny<CancellationToken>())).ThrowsAsync(error);
        return store;
    }

    [Fact]
    public async Task ReadAsync_ConfigMapValueIsNotABoolean_PausedNamingTheConfigMap()
    {
        var mirror = Mirror(error: new InvalidDataException("ConfigMap thoras-operator-system-config: scaling-paused must be true or false."));

        var status = await PauseStatus.ReadAsync(Store().Object, mirror.Object, new PauseOptions(), CancellationToken.None);

        Assert.True(status.Paused);
        var unreadable = Assert.Single(status.Unreadable);
        Assert.Equal("the pause mirror " + ConfigMap, unreadable.Source);
        Assert.StartsWith("the pause mirror " + ConfigMap + " cannot be read: ", status.Reason, StringComparison.Ordinal);
        Assert.Equal((false, status.Reason), (status.Gate.MayApply, status.Gate.Reason));
    }

    [Fact]
    public async Task ReadAsync_StoreUnreadable_PausedAndTheMirrorStillShown()
    {
        var status = await PauseStatus.ReadAsync(Store(error: new InvalidOperationException("table unreachable")).Object, Mirror().Object, new PauseOptions(), CancellationToken.None);

        Assert.Equal((true, "the pause state cannot be read: table unreachable"), (status.Paused, status.Reason));
        Assert.Equal((null, MirrorObservation.Missing), (status.State, status.Mirror));
    }

    [Fact]
    public async Task ReadAsync_BothUnreadable_NamesBoth()
    {
        var status = await PauseStatus.ReadAsync(Store(error: new InvalidOperationException("a")).Object, Mirror(error: new HttpRequestException("b")).Object, new PauseOptions(), CancellationToken.None);

        Assert.Equal(["the pause state", "the pause mirror " + ConfigMap], status.Unreadable.Select(u => u.Source));
    }

    [Fact]
    public async Task ReadAsync_KnownState_ReadsOnlyTheMirror()
    {
        var store = Store();
        var state = new PauseStateBuilder().WithManual().Build();

        var status = await PauseStatus.ReadAsync(state, Mirror().Object, new PauseOptions(), CancellationToken.None);

        Assert.Equal((true, state), (status.Paused, status.State));
        store.Verify(s => s.ReadAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public void Of_EverythingRunning_NotPaused()
    {
        var status = PauseStatus.Of(PauseState.Running, MirrorObservation.Missing, appSettingPaused: false);

        Assert.Equal((false, PauseStatus.NotPaused, true), (status.Paused, status.Reason, status.Gate.MayApply));
    }

    [Fact]
    public void Of_MirrorEditedToPausedNotYetAdopted_Paused()
    {
        var status = PauseStatus.Of(PauseState.Running, new MirrorObservation(true, true, false, 1), appSettingPaused: false);

        Assert.True(status.Paused);
        Assert.Contains("ConfigMap mirror", status.Reason, StringComparison.Ordinal);
    }
}
