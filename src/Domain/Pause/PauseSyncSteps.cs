using System.Globalization;
using Thoras.Domain.Sync;

namespace Thoras.Domain.Pause;

/// <summary>Sync step: the <c>app-setting</c> holder follows <c>Thoras__ScalingPaused</c>.</summary>
public sealed class AppSettingPauseSyncStep(PauseService pause) : ISyncStep
{
    public string Name => "pause-app-setting";

    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        PauseSyncSummary.Of(await pause.SyncAppSettingAsync(cancellationToken));
}

/// <summary>Sync step: maintenance windows add their holder at their start and remove it at their end, catching up after downtime.</summary>
public sealed class MaintenanceWindowSyncStep(PauseService pause) : ISyncStep
{
    public string Name => "maintenance-windows";

    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        PauseSyncSummary.Of(await pause.SyncWindowsAsync(cancellationToken));
}

/// <summary>Sync step: adopts direct edits of the ConfigMap mirror and repairs a missing or stale one. Runs after the holder steps.</summary>
public sealed class PauseMirrorSyncStep(PauseService pause) : ISyncStep
{
    public string Name => "pause-mirror";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var sync = await pause.SyncMirrorAsync(cancellationToken);
        var state = sync.Adopted.After;
        if (sync.Observed.IsDirectEdit)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"adopted ConfigMap edit scaling-paused: {sync.Observed.ScalingPaused} ({(sync.Adopted.Changed ? "changed" : "no change")}); now {state.Describe()}");
        }

        return sync.Rewritten ? $"mirror rewritten to {state.Describe()}" : $"mirror in sync at {state.Describe()}";
    }
}

internal static class PauseSyncSummary
{
    public static string Of(PauseOutcome outcome)
    {
        var t = outcome.Transition;
        if (!t.Changed)
        {
            return "no change; " + t.After.Describe();
        }

        var summary = string.Join("; ", t.Records.Select(r => r.Actor + " " + r.Action)) + "; now " + t.After.Describe();
        if (outcome.MirrorError is not null)
        {
            summary += "; mirror write failed (the pause-mirror step retries): " + outcome.MirrorError;
        }

        return outcome.ReconcileErrors.Count == 0 ? summary : summary + "; reconcile failed: " + string.Join("; ", outcome.ReconcileErrors);
    }
}
