using Thoras.Domain.Pause;

namespace Thoras.Domain.Tests.Pause;

/// <summary>Builds pause states for tests: <c>new PauseStateBuilder().WithManual().WithWindow("nightly", start).Build()</c>.</summary>
internal sealed record PauseStateBuilder
{
    public static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private PauseState State { get; init; } = PauseState.Running;

    public PauseStateBuilder WithHolder(string id, string actor, DateTimeOffset? since = null) =>
        this with { State = State with { Holders = State.Holders.SetItem(id, new PauseHolder(id, actor, "because", since ?? T0)) } };

    public PauseStateBuilder WithManual() => WithHolder(PauseHolder.Manual, "alice");

    public PauseStateBuilder WithConfigMap() => WithHolder(PauseHolder.ConfigMap, PauseHolder.ConfigMap);

    public PauseStateBuilder WithAppSetting() => WithHolder(PauseHolder.AppSetting, PauseHolder.AppSetting);

    public PauseStateBuilder WithWindow(string windowId, DateTimeOffset? since = null) =>
        WithHolder(PauseHolder.Window(windowId), PauseHolder.Window(windowId), since);

    public PauseStateBuilder WithSkipped(string windowId, DateTimeOffset occurrenceStart) =>
        this with { State = State with { SkippedWindows = State.SkippedWindows.SetItem(windowId, occurrenceStart) } };

    public PauseStateBuilder AtRevision(long revision) => this with { State = State with { Revision = revision } };

    public PauseState Build() => State;
}

/// <summary>Builds maintenance windows for tests; defaults to a daily 02:00 UTC window of one hour.</summary>
internal sealed record WindowBuilder
{
    private string Id { get; init; } = "nightly";

    private string Cron { get; init; } = "0 2 * * *";

    private TimeSpan Duration { get; init; } = TimeSpan.FromHours(1);

    private string TimeZone { get; init; } = "UTC";

    private bool Enabled { get; init; } = true;

    public WindowBuilder WithId(string id) => this with { Id = id };

    public WindowBuilder WithCron(string cron) => this with { Cron = cron };

    public WindowBuilder WithDuration(TimeSpan duration) => this with { Duration = duration };

    public WindowBuilder InZone(string timeZone) => this with { TimeZone = timeZone };

    public WindowBuilder Disabled() => this with { Enabled = false };

    public MaintenanceWindow Build() =>
        MaintenanceWindow.Define(Id, Cron, Duration, TimeZone, "patching", Enabled, "alice", PauseStateBuilder.T0);
}
