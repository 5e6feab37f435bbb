using System.Collections.Immutable;
using System.Globalization;

namespace Thoras.Domain.Pause;

/// <summary>
/// The system-wide pause: a set of holders, the window occurrences a forced resume skipped, and a
/// revision that grows by one with every change. Every change is a method that returns a
/// <see cref="PauseTransition"/> carrying the new state and one audit record per change; a request that
/// changes nothing returns an unchanged transition, which is what makes pause and resume idempotent.
/// </summary>
public sealed record PauseState
{
    /// <summary>The state before anything was ever paused.</summary>
    public static PauseState Running { get; } = new();

    /// <summary>The holders, by id. Scaling is paused while this is not empty.</summary>
    public ImmutableSortedDictionary<string, PauseHolder> Holders { get; init; } =
        ImmutableSortedDictionary.Create<string, PauseHolder>(StringComparer.Ordinal);

    /// <summary>
    /// Window id → start of the occurrence a forced resume skipped. That occurrence adds no holder;
    /// the window's next occurrence does.
    /// </summary>
    public ImmutableSortedDictionary<string, DateTimeOffset> SkippedWindows { get; init; } =
        ImmutableSortedDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);

    /// <summary>Grows by one with every change; 0 for a state never changed.</summary>
    public long Revision { get; init; }

    /// <summary>Who made the latest change; null before the first.</summary>
    public string? ChangedBy { get; init; }

    /// <summary>When the latest change was made.</summary>
    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>Why the latest change was made, as given.</summary>
    public string? ChangeReason { get; init; }

    /// <summary>True while any holder is present.</summary>
    public bool IsPaused => !Holders.IsEmpty;

    /// <summary>A compact, human-readable form for the audit log, e.g. <c>rev 4: paused by manual, window:nightly</c>.</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"rev {Revision}: ") +
        (IsPaused ? "paused by " + string.Join(", ", Holders.Keys) : "running");

    /// <summary>Adds the <c>manual</c> holder. Unchanged when it is already present (the first reason stays).</summary>
    public PauseTransition Pause(string actor, string? reason, DateTimeOffset at) =>
        Hold(new PauseHolder(PauseHolder.Manual, actor, reason, at), "pause", at);

    /// <summary>Adds <paramref name="holder"/> at <paramref name="at"/>. Unchanged when a holder with its id is already present.</summary>
    public PauseTransition Hold(PauseHolder holder, string action, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(holder);
        return Holders.ContainsKey(holder.Id)
            ? PauseTransition.Unchanged(this)
            : Change(this with { Holders = Holders.Add(holder.Id, holder) }, holder.Actor, action, holder.Reason, at);
    }

    /// <summary>Removes the holder <paramref name="holderId"/> and no other. Unchanged when it is absent.</summary>
    public PauseTransition Release(string holderId, string actor, string action, string? reason, DateTimeOffset at) =>
        Holders.ContainsKey(holderId)
            ? Change(this with { Holders = Holders.Remove(holderId) }, actor, action, reason, at)
            : PauseTransition.Unchanged(this);

    /// <summary>
    /// Clears the <c>manual</c> and <c>configmap</c> holders. Windows and the app setting keep theirs:
    /// a window ends on its own, and the app setting is turned off in the portal.
    /// </summary>
    public PauseTransition Resume(string actor, string? reason, DateTimeOffset at)
    {
        var remaining = Holders.Remove(PauseHolder.Manual).Remove(PauseHolder.ConfigMap);
        return remaining.Count == Holders.Count
            ? PauseTransition.Unchanged(this)
            : Change(this with { Holders = remaining }, actor, "resume", reason, at);
    }

    /// <summary>
    /// Clears every holder and marks each active window occurrence skipped, so the window pauses again
    /// only at its next occurrence. The <c>app-setting</c> holder stays while <paramref name="appSettingPaused"/>
    /// is true, because only the portal can turn that setting off; it is cleared when the setting is off.
    /// </summary>
    /// <param name="actor">Who resumed.</param>
    /// <param name="reason">Why.</param>
    /// <param name="at">When.</param>
    /// <param name="activeWindows">Window id → start of its occurrence active at <paramref name="at"/>.</param>
    /// <param name="appSettingPaused">Whether <c>Thoras__ScalingPaused</c> is true now.</param>
    public PauseTransition ForceResume(
        string actor,
        string? reason,
        DateTimeOffset at,
        IReadOnlyDictionary<string, DateTimeOffset> activeWindows,
        bool appSettingPaused)
    {
        ArgumentNullException.ThrowIfNull(activeWindows);
        var remaining = Holders.Where(h => appSettingPaused && h.Key == PauseHolder.AppSetting)
            .ToImmutableSortedDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);
        var skipped = SkippedWindows;
        foreach (var (windowId, start) in activeWindows)
        {
            skipped = skipped.SetItem(windowId, start);
        }

        var unchanged = remaining.Count == Holders.Count && skipped.Count == SkippedWindows.Count &&
            skipped.All(s => SkippedWindows.TryGetValue(s.Key, out var old) && old == s.Value);
        return unchanged
            ? PauseTransition.Unchanged(this)
            : Change(this with { Holders = remaining, SkippedWindows = skipped }, actor, "force-resume", reason, at);
    }

    /// <summary>
    /// Brings the window holders in line with the windows' schedules at <paramref name="now"/>: an active,
    /// unskipped window adds its holder; a window that is over, disabled or deleted removes only its own.
    /// Because it compares levels rather than reacting to edges, a tick after downtime catches up.
    /// </summary>
    public PauseTransition SyncWindows(IEnumerable<MaintenanceWindow> windows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var active = new Dictionary<string, (MaintenanceWindow Window, WindowOccurrence Occurrence)>(StringComparer.Ordinal);
        foreach (var window in windows)
        {
            if (window.ActiveOccurrence(now) is { } occurrence)
            {
                active[window.Id] = (window, occurrence);
            }
        }

        var transition = PauseTransition.Unchanged(this);
        foreach (var holderId in Holders.Keys)
        {
            if (PauseHolder.WindowIdOf(holderId) is { } windowId && !active.ContainsKey(windowId))
            {
                transition = transition.Then(s => s.Release(holderId, holderId, "window-end", "maintenance window ended, was disabled or was deleted", now));
            }
        }

        foreach (var (windowId, (window, occurrence)) in active)
        {
            var skipped = SkippedWindows.TryGetValue(windowId, out var skippedStart) && skippedStart == occurrence.Start;
            if (!skipped)
            {
                var holderId = PauseHolder.Window(windowId);
                transition = transition.Then(s => s.Hold(new PauseHolder(holderId, holderId, window.Reason, occurrence.Start), "window-start", now));
            }
        }

        if (!transition.Changed)
        {
            return transition;
        }

        // Skips of occurrences that are over are dropped along with a real change; on their own they are harmless.
        var current = transition.After.SkippedWindows
            .Where(s => active.TryGetValue(s.Key, out var a) && a.Occurrence.Start == s.Value)
            .ToImmutableSortedDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        return transition with { After = transition.After with { SkippedWindows = current } };
    }

    /// <summary>Adds or removes the <c>app-setting</c> holder to match the app setting.</summary>
    public PauseTransition SyncAppSetting(bool appSettingPaused, DateTimeOffset at) =>
        appSettingPaused
            ? Hold(new PauseHolder(PauseHolder.AppSetting, PauseHolder.AppSetting, "app setting Thoras__ScalingPaused is true", at), "pause", at)
            : Release(PauseHolder.AppSetting, PauseHolder.AppSetting, "resume", "app setting Thoras__ScalingPaused is no longer true", at);

    /// <summary>
    /// Adopts a direct edit of the ConfigMap as if it came through the API with actor <c>configmap</c>:
    /// <c>scaling-paused: true</c> adds the <c>configmap</c> holder, <c>false</c> is a resume.
    /// </summary>
    public PauseTransition AdoptConfigMap(bool scalingPaused, DateTimeOffset at) =>
        scalingPaused
            ? Hold(new PauseHolder(PauseHolder.ConfigMap, PauseHolder.ConfigMap, "ConfigMap edited to scaling-paused: true", at), "pause", at)
            : Resume(PauseHolder.ConfigMap, "ConfigMap edited to scaling-paused: false", at);

    private PauseTransition Change(PauseState next, string actor, string action, string? reason, DateTimeOffset at)
    {
        var after = next with { Revision = Revision + 1, ChangedBy = actor, ChangedAt = at, ChangeReason = reason };
        var record = new Audit.AuditRecord(at, actor, action, PauseTransition.Subject, reason, Describe(), after.Describe());
        return new PauseTransition(this, after, [record]);
    }
}
