using Moq;
using Thoras.Domain.Pause;
using Xunit;

namespace Thoras.Domain.Tests.Pause;

public sealed class SuggestionGateTests
{
    private static readonly MirrorObservation MirrorRunning = new(true, false, false, 1);
    private static readonly MirrorObservation MirrorPaused = new(true, true, true, 1);
    private static readonly MirrorObservation MirrorEditedToPaused = new(true, true, false, 1);

    /// <summary>A stored state, what the mirror shows and the app setting; whether the gate lets apply run and why not.</summary>
    public sealed record Case(string Name, PauseState State, MirrorObservation Mirror, bool AppSetting, bool MayApply, string ReasonContains)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new()
    {
        new("running everywhere applies", PauseState.Running, MirrorRunning, false, true, "not paused"),
        new("missing ConfigMap and running applies", PauseState.Running, MirrorObservation.Missing, false, true, "not paused"),
        new("manual holder blocks", new PauseStateBuilder().WithManual().Build(), MirrorPaused, false, false, "manual (alice: because)"),
        new("window holder blocks", new PauseStateBuilder().WithWindow("nightly").Build(), MirrorPaused, false, false, "window:nightly"),
        new("configmap holder blocks", new PauseStateBuilder().WithConfigMap().Build(), MirrorPaused, false, false, "configmap"),
        new("every holder is named", new PauseStateBuilder().WithManual().WithWindow("nightly").Build(), MirrorPaused, false, false, "manual (alice: because), window:nightly"),
        new("stale mirror still paused after a resume blocks", PauseState.Running, MirrorPaused, false, false, "ConfigMap"),
        new("unadopted ConfigMap edit to paused blocks", PauseState.Running, MirrorEditedToPaused, false, false, "ConfigMap"),
        new("table paused while mirror still says running blocks", new PauseStateBuilder().WithManual().Build(), MirrorRunning, false, false, "manual"),
        new("app setting on before the sync adopted it blocks", PauseState.Running, MirrorRunning, true, false, "app-setting"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_StateMirrorAndSetting_GivesExpectedDecision(Case c)
    {
        var decision = SuggestionGate.Decide(c.State, c.Mirror, c.AppSetting);

        Assert.Equal(c.MayApply, decision.MayApply);
        Assert.Contains(c.ReasonContains, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_StateUnreadable_DoesNotApplyAndSaysWhy()
    {
        var store = new Mock<IPauseStore>();
        store.Setup(s => s.ReadAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("table unreachable"));
        var mirror = new Mock<IPauseMirror>();
        mirror.Setup(m => m.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(MirrorRunning);
        var gate = new SuggestionGate(store.Object, mirror.Object, new PauseOptions());

        var decision = await gate.DecideAsync(CancellationToken.None);

        Assert.False(decision.MayApply);
        Assert.Equal("the pause state cannot be read: table unreachable", decision.Reason);
    }

    [Fact]
    public async Task DecideAsync_MirrorUnreadable_DoesNotApplyAndSaysWhy()
    {
        var store = new Mock<IPauseStore>();
        store.Setup(s => s.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(PauseState.Running);
        var mirror = new Mock<IPauseMirror>();
        mirror.Setup(m => m.ReadAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("connection refused"));
        var gate = new SuggestionGate(store.Object, mirror.Object, new PauseOptions());

        var decision = await gate.DecideAsync(CancellationToken.None);

        Assert.False(decision.MayApply);
        Assert.Contains("connection refused", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_BothReadableAndRunning_Applies()
    {
        var store = new Mock<IPauseStore>();
        store.Setup(s => s.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(PauseState.Running);
        var mirror = new Mock<IPauseMirror>();
        mirror.Setup(m => m.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(MirrorRunning);
        var gate = new SuggestionGate(store.Object, mirror.Object, new PauseOptions());

        var decision = await gate.DecideAsync(CancellationToken.None);

        Assert.True(decision.MayApply);
    }

    [Theory]
    [InlineData(true, true, null, true)]
    [InlineData(true, false, null, false)]
    [InlineData(true, true, true, false)]
    [InlineData(true, false, true, true)]
    [InlineData(false, false, null, false)]
    public void MirrorObservation_IsDirectEdit_ComparesDataWithWhatTheAppWrote(bool exists, bool data, bool? written, bool expected)
    {
        Assert.Equal(expected, new MirrorObservation(exists, data, written, 3).IsDirectEdit);
    }
}
