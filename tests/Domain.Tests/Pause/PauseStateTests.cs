using Thoras.Domain.Pause;
using Xunit;
using static Thoras.Domain.Tests.Pause.PauseStateBuilder;

namespace Thoras.Domain.Tests.Pause;

public sealed class PauseStateTests
{
    private static readonly DateTimeOffset At = T0.AddMinutes(5);

    // 02:00-03:00 UTC daily; T0 is 12:00, so "in window" below is 02:30 the next day.
    private static readonly DateTimeOffset InWindow = new(2026, 6, 2, 2, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WindowStart = new(2026, 6, 2, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AfterWindow = new(2026, 6, 2, 3, 0, 0, TimeSpan.Zero);

    /// <summary>One row of the holder algebra: a start state, a command, the holders after and whether it changed.</summary>
    public sealed record Case(string Name, PauseState Start, Func<PauseState, PauseTransition> Command, string[] Holders, bool Changed)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new()
    {
        new("pause from running adds manual", new PauseStateBuilder().Build(), s => s.Pause("bob", "freeze", At), ["manual"], true),
        new("pause while manual is idempotent", new PauseStateBuilder().WithManual().Build(), s => s.Pause("bob", "again", At), ["manual"], false),
        new("pause during a window adds manual beside it", new PauseStateBuilder().WithWindow("nightly").Build(), s => s.Pause("bob", "freeze", At), ["manual", "window:nightly"], true),
        new("resume clears manual", new PauseStateBuilder().WithManual().Build(), s => s.Resume("bob", null, At), [], true),
        new("resume clears configmap", new PauseStateBuilder().WithConfigMap().Build(), s => s.Resume("bob", null, At), [], true),
        new("resume keeps window and app-setting", new PauseStateBuilder().WithManual().WithConfigMap().WithWindow("nightly").WithAppSetting().Build(), s => s.Resume("bob", null, At), ["app-setting", "window:nightly"], true),
        new("resume while running is idempotent", new PauseStateBuilder().Build(), s => s.Resume("bob", null, At), [], false),
        new("resume with only a window holder changes nothing", new PauseStateBuilder().WithWindow("nightly").Build(), s => s.Resume("bob", null, At), ["window:nightly"], false),
        new("force-resume clears manual, configmap and windows", new PauseStateBuilder().WithManual().WithConfigMap().WithWindow("nightly").Build(), s => s.ForceResume("bob", null, At, new Dictionary<string, DateTimeOffset>(), appSettingPaused: false), [], true),
        new("force-resume keeps app-setting while the setting is on", new PauseStateBuilder().WithManual().WithAppSetting().Build(), s => s.ForceResume("bob", null, At, new Dictionary<string, DateTimeOffset>(), appSettingPaused: true), ["app-setting"], true),
        new("force-resume clears app-setting once the setting is off", new PauseStateBuilder().WithAppSetting().Build(), s => s.ForceResume("bob", null, At, new Dictionary<string, DateTimeOffset>(), appSettingPaused: false), [], true),
        new("window ending during a manual pause keeps manual", new PauseStateBuilder().WithManual().WithWindow("nightly", WindowStart).Build(), s => s.SyncWindows([new WindowBuilder().Build()], AfterWindow), ["manual"], true),
        new("window starting adds its holder", new PauseStateBuilder().Build(), s => s.SyncWindows([new WindowBuilder().Build()], InWindow), ["window:nightly"], true),
        new("window starting during a manual pause adds beside it", new PauseStateBuilder().WithManual().Build(), s => s.SyncWindows([new WindowBuilder().Build()], InWindow), ["manual", "window:nightly"], true),
        new("window ending removes only its own holder", new PauseStateBuilder().WithWindow("nightly", WindowStart).WithWindow("weekly").WithConfigMap().Build(), s => s.SyncWindows([new WindowBuilder().Build(), new WindowBuilder().WithId("weekly").WithCron("0 0 * * *").WithDuration(TimeSpan.FromDays(2)).Build()], AfterWindow), ["configmap", "window:weekly"], true),
        new("skipped occurrence adds no holder", new PauseStateBuilder().WithSkipped("nightly", WindowStart).Build(), s => s.SyncWindows([new WindowBuilder().Build()], InWindow), [], false),
        new("next occurrence after a skip adds the holder", new PauseStateBuilder().WithSkipped("nightly", WindowStart).Build(), s => s.SyncWindows([new WindowBuilder().Build()], InWindow.AddDays(1)), ["window:nightly"], true),
        new("deleted window's holder is removed", new PauseStateBuilder().WithWindow("gone").Build(), s => s.SyncWindows([], InWindow), [], true),
        new("disabled window's holder is removed", new PauseStateBuilder().WithWindow("nightly", WindowStart).Build(), s => s.SyncWindows([new WindowBuilder().Disabled().Build()], InWindow), [], true),
        new("catch-up: app down at the start adds the holder late in the window", new PauseStateBuilder().Build(), s => s.SyncWindows([new WindowBuilder().Build()], WindowStart.AddMinutes(59)), ["window:nightly"], true),
        new("catch-up: app down at the end removes the holder hours later", new PauseStateBuilder().WithManual().WithWindow("nightly", WindowStart).Build(), s => s.SyncWindows([new WindowBuilder().Build()], AfterWindow.AddHours(5)), ["manual"], true),
        new("app setting on adds app-setting", new PauseStateBuilder().Build(), s => s.SyncAppSetting(true, At), ["app-setting"], true),
        new("app setting off removes only app-setting", new PauseStateBuilder().WithAppSetting().WithManual().Build(), s => s.SyncAppSetting(false, At), ["manual"], true),
        new("app setting off while absent is no change", new PauseStateBuilder().Build(), s => s.SyncAppSetting(false, At), [], false),
        new("ConfigMap edited to true adds configmap", new PauseStateBuilder().Build(), s => s.AdoptConfigMap(true, At), ["configmap"], true),
        new("ConfigMap edited to false is a resume", new PauseStateBuilder().WithManual().WithConfigMap().WithWindow("nightly").Build(), s => s.AdoptConfigMap(false, At), ["window:nightly"], true),
        new("release removes only the named holder", new PauseStateBuilder().WithManual().WithWindow("nightly").Build(), s => s.Release("window:nightly", "bob", "window-end", null, At), ["manual"], true),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Command_FromStartState_LeavesExpectedHolders(Case c)
    {
        var transition = c.Command(c.Start);

        Assert.Equal(c.Holders, transition.After.Holders.Keys);
        Assert.Equal(c.Holders.Length > 0, transition.After.IsPaused);
        Assert.Equal(c.Changed, transition.Changed);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Command_FromStartState_AuditsEveryChangeAndBumpsRevisionOncePerRecord(Case c)
    {
        var start = c.Start with { Revision = 7 };

        var transition = c.Command(start);

        Assert.Equal(7 + transition.Records.Count, transition.After.Revision);
        Assert.All(transition.Records, r => Assert.Equal("system", r.Subject));
        if (transition.Changed)
        {
            Assert.Equal(start.Describe(), transition.Records[0].Previous);
            Assert.Equal(transition.After.Describe(), transition.Records[^1].Current);
        }
    }

    [Fact]
    public void ForceResume_DuringActiveWindow_SkipsThatOccurrenceUntilTheNext()
    {
        var window = new WindowBuilder().Build();
        var paused = new PauseStateBuilder().WithWindow("nightly", WindowStart).Build();

        var resumed = paused.ForceResume("bob", "hotfix", InWindow, new Dictionary<string, DateTimeOffset> { ["nightly"] = WindowStart }, appSettingPaused: false).After;
        var sameOccurrence = resumed.SyncWindows([window], InWindow.AddMinutes(10));
        var nextOccurrence = sameOccurrence.After.SyncWindows([window], InWindow.AddDays(1));

        Assert.False(sameOccurrence.Changed);
        Assert.False(sameOccurrence.After.IsPaused);
        Assert.Equal(["window:nightly"], nextOccurrence.After.Holders.Keys);
        Assert.Empty(nextOccurrence.After.SkippedWindows);
    }

    [Fact]
    public void ForceResume_WhileRunningWithNoActiveWindow_IsIdempotent()
    {
        var transition = PauseState.Running.ForceResume("bob", null, At, new Dictionary<string, DateTimeOffset>(), appSettingPaused: false);

        Assert.False(transition.Changed);
    }

    [Fact]
    public void Pause_WhenManualAlreadyHeld_KeepsFirstActorAndReason()
    {
        var first = PauseState.Running.Pause("alice", "deploy freeze", At).After;

        var second = first.Pause("bob", "other", At.AddMinutes(1)).After;

        Assert.Equal(new PauseHolder("manual", "alice", "deploy freeze", At), second.Holders["manual"]);
    }

    [Fact]
    public void SyncWindows_WindowStart_RecordsHolderSinceOccurrenceStartWithWindowReason()
    {
        var transition = PauseState.Running.SyncWindows([new WindowBuilder().Build()], InWindow);

        var holder = transition.After.Holders["window:nightly"];
        Assert.Equal(WindowStart, holder.Since);
        Assert.Equal("patching", holder.Reason);
        Assert.Equal("window-start", Assert.Single(transition.Records).Action);
    }

    [Fact]
    public void SyncWindows_CaughtUpLate_AuditsTheChangeAtTheTickNotTheOccurrenceStart()
    {
        var transition = PauseState.Running.SyncWindows([new WindowBuilder().Build()], InWindow);

        Assert.Equal(InWindow, Assert.Single(transition.Records).At);
    }

    [Fact]
    public void Transition_FromPausedToRunning_IsResumed()
    {
        var transition = new PauseStateBuilder().WithManual().Build().Resume("bob", null, At);

        Assert.True(transition.Resumed);
    }

    [Fact]
    public void Transition_ResumeWhileWindowStillHolds_IsNotResumed()
    {
        var transition = new PauseStateBuilder().WithManual().WithWindow("nightly").Build().Resume("bob", null, At);

        Assert.False(transition.Resumed);
    }

    [Fact]
    public void Describe_PausedState_ListsHoldersWithRevision()
    {
        var state = new PauseStateBuilder().WithManual().WithWindow("nightly").AtRevision(4).Build();

        Assert.Equal("rev 4: paused by manual, window:nightly", state.Describe());
    }
}
