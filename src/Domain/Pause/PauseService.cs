using Thoras.Domain.Audit;

namespace Thoras.Domain.Pause;

/// <summary>
/// The pause use cases: pause, resume, maintenance windows and the sync steps' reconciliations. Every change
/// is committed through <see cref="IPauseStore"/> (state and audit together), then written through to the
/// mirror; a change that takes scaling from paused to running triggers an immediate reconcile.
/// A failed mirror write or trigger does not undo the change: it is reported, and the sync step repairs the mirror.
/// </summary>
public sealed class PauseService(
    IPauseStore store,
    IMaintenanceWindowStore windows,
    IPauseMirror mirror,
    IEnumerable<IReconcileTrigger> reconcileTriggers,
    PauseOptions options,
    TimeProvider time,
    PauseEvents? events = null)
{
    private readonly IReadOnlyList<IReconcileTrigger> _reconcileTriggers = [.. reconcileTriggers];

    /// <summary>The stored pause state.</summary>
    public Task<PauseState> ReadAsync(CancellationToken cancellationToken) => store.ReadAsync(cancellationToken);

    /// <summary>The pause status the apply gate decides on: stored state, app setting and mirror, and what cannot be read.</summary>
    public Task<PauseStatus> StatusAsync(CancellationToken cancellationToken) => PauseStatus.ReadAsync(store, mirror, options, cancellationToken);

    /// <summary>The pause status with <paramref name="state"/> just committed; only the mirror is read.</summary>
    public Task<PauseStatus> StatusAsync(PauseState state, CancellationToken cancellationToken) => PauseStatus.ReadAsync(state, mirror, options, cancellationToken);

    /// <summary>Adds the <c>manual</c> holder; idempotent.</summary>
    public Task<PauseOutcome> PauseAsync(string actor, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return CommitAsync(s => s.Pause(actor, reason, now), cancellationToken);
    }

    /// <summary>Clears the <c>manual</c> and <c>configmap</c> holders, or with <paramref name="force"/> every holder the API can clear.</summary>
    public async Task<PauseOutcome> ResumeAsync(string actor, string? reason, bool force, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!force)
        {
            return await CommitAsync(s => s.Resume(actor, reason, now), cancellationToken);
        }

        var active = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var window in await windows.ListAsync(cancellationToken))
        {
            if (window.ActiveOccurrence(now) is { } occurrence)
            {
                active[window.Id] = occurrence.Start;
            }
        }

        return await CommitAsync(s => s.ForceResume(actor, reason, now, active, options.ScalingPaused), cancellationToken);
    }

    /// <summary>Adds and removes window holders to match the windows' schedules now (the sync step; catches up after downtime).</summary>
    public async Task<PauseOutcome> SyncWindowsAsync(CancellationToken cancellationToken)
    {
        var all = await windows.ListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return await CommitAsync(s => s.SyncWindows(all, now), cancellationToken);
    }

    /// <summary>Adds or removes the <c>app-setting</c> holder to match <see cref="PauseOptions.ScalingPaused"/>.</summary>
    public Task<PauseOutcome> SyncAppSettingAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return CommitAsync(s => s.SyncAppSetting(options.ScalingPaused, now), cancellationToken);
    }

    /// <summary>
    /// Reconciles the mirror: a direct edit is adopted (actor <c>configmap</c>) and the result written back;
    /// a missing or stale mirror is rewritten. Throws when the mirror cannot be read or written.
    /// </summary>
    public async Task<MirrorSync> SyncMirrorAsync(CancellationToken cancellationToken)
    {
        var observation = await mirror.ReadAsync(cancellationToken);
        if (observation.IsDirectEdit)
        {
            var now = time.GetUtcNow();
            var adopted = await store.UpdateAsync(s => s.AdoptConfigMap(observation.ScalingPaused, now), cancellationToken);

            // Written back even when nothing changed, e.g. "false" while a window still holds: the mirror must show the truth.
            await mirror.WriteAsync(adopted.After, MirrorWriteMode.Reconcile, cancellationToken);
            await RecordEventsAsync(adopted, cancellationToken);
            await TriggerReconcileIfResumedAsync(adopted, cancellationToken);
            return new MirrorSync(observation, adopted, Rewritten: true);
        }

        var state = await store.ReadAsync(cancellationToken);
        if (observation.Reflects(state))
        {
            return new MirrorSync(observation, PauseTransition.Unchanged(state), Rewritten: false);
        }

        await mirror.WriteAsync(state, MirrorWriteMode.Reconcile, cancellationToken);
        return new MirrorSync(observation, PauseTransition.Unchanged(state), Rewritten: true);
    }

    /// <summary>All windows with what each is doing now.</summary>
    public async Task<IReadOnlyList<WindowStatus>> ListWindowsAsync(CancellationToken cancellationToken)
    {
        var all = await windows.ListAsync(cancellationToken);
        var state = await store.ReadAsync(cancellationToken);
        var now = time.GetUtcNow();
        return [.. all.Select(w => WindowStatus.Of(w, state, now))];
    }

    /// <summary>The most windows that may exist, which keeps every sync tick's evaluation small.</summary>
    public const int MaxWindows = 100;

    /// <summary>Stores a new window (audited) and, if it is active now, lets it pause at once. Null when its id is taken.</summary>
    /// <exception cref="InvalidMaintenanceWindowException"><see cref="MaxWindows"/> windows exist already.</exception>
    public async Task<WindowStatus?> CreateWindowAsync(MaintenanceWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        if ((await windows.ListAsync(cancellationToken)).Count >= MaxWindows)
        {
            throw new InvalidMaintenanceWindowException("window", $"At most {MaxWindows} maintenance windows may exist; delete one first.");
        }

        var record = new AuditRecord(
            time.GetUtcNow(), window.CreatedBy, "window-create", PauseTransition.Subject, window.Reason, null,
            $"window:{window.Id} cron '{window.Cron}' for {WindowDuration.Format(window.Duration)} in {window.TimeZone}, {(window.Enabled ? "enabled" : "disabled")}");
        if (!await windows.AddAsync(window, record, cancellationToken))
        {
            return null;
        }

        var outcome = await SyncWindowsAsync(cancellationToken);
        return WindowStatus.Of(window, outcome.Transition.After, time.GetUtcNow());
    }

    /// <summary>Deletes a window (audited) and removes its holder, never another. False when there is no such window.</summary>
    public async Task<bool> DeleteWindowAsync(string id, string actor, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = new AuditRecord(now, actor, "window-delete", PauseTransition.Subject, reason, "window:" + id, null);
        if (!await windows.DeleteAsync(id, record, cancellationToken))
        {
            return false;
        }

        // If this fails the next sync tick removes the holder: its window no longer exists.
        await CommitAsync(s => s.Release(PauseHolder.Window(id), actor, "window-end", "maintenance window deleted", now), cancellationToken);
        return true;
    }

    private async Task<PauseOutcome> CommitAsync(Func<PauseState, PauseTransition> decide, CancellationToken cancellationToken)
    {
        var transition = await store.UpdateAsync(decide, cancellationToken);
        if (!transition.Changed)
        {
            return new PauseOutcome(transition, null, []);
        }

        string? mirrorError = null;
        try
        {
            await mirror.WriteAsync(transition.After, MirrorWriteMode.WriteThrough, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            mirrorError = ex.Message;
        }

        await RecordEventsAsync(transition, cancellationToken);
        var reconcileErrors = await TriggerReconcileIfResumedAsync(transition, cancellationToken);
        return new PauseOutcome(transition, mirrorError, reconcileErrors);
    }

    private Task RecordEventsAsync(PauseTransition transition, CancellationToken cancellationToken) =>
        events?.RecordAsync(transition, cancellationToken) ?? Task.CompletedTask;

    private async Task<IReadOnlyList<string>> TriggerReconcileIfResumedAsync(PauseTransition transition, CancellationToken cancellationToken)
    {
        if (!transition.Resumed)
        {
            return [];
        }

        var reason = $"scaling resumed by {transition.After.ChangedBy} (rev {transition.After.Revision})";
        var errors = new List<string>();
        foreach (var trigger in _reconcileTriggers)
        {
            try
            {
                await trigger.TriggerAsync(reason, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                errors.Add(trigger.GetType().Name + ": " + ex.Message);
            }
        }

        return errors;
    }
}

/// <summary>What a committed pause command did, and what failed after it was durably made.</summary>
/// <param name="Transition">The committed transition.</param>
/// <param name="MirrorError">Why the write-through to the mirror failed; null when it succeeded or was not needed.</param>
/// <param name="ReconcileErrors">Reconcile triggers that failed after a resume.</param>
public sealed record PauseOutcome(PauseTransition Transition, string? MirrorError, IReadOnlyList<string> ReconcileErrors);

/// <summary>What one mirror reconciliation saw and did.</summary>
public sealed record MirrorSync(MirrorObservation Observed, PauseTransition Adopted, bool Rewritten);

/// <summary>A maintenance window with its current activity.</summary>
/// <param name="Window">The definition.</param>
/// <param name="Active">The occurrence in force now, if any.</param>
/// <param name="Next">The next occurrence to start.</param>
/// <param name="Holding">True when the window's holder is present.</param>
/// <param name="SkippedOccurrenceStart">Start of the occurrence a forced resume skipped, while it lasts.</param>
public sealed record WindowStatus(MaintenanceWindow Window, WindowOccurrence? Active, WindowOccurrence? Next, bool Holding, DateTimeOffset? SkippedOccurrenceStart)
{
    /// <summary>The window's status in <paramref name="state"/> at <paramref name="now"/>.</summary>
    public static WindowStatus Of(MaintenanceWindow window, PauseState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(state);
        var active = window.ActiveOccurrence(now);
        DateTimeOffset? skipped = active is not null && state.SkippedWindows.TryGetValue(window.Id, out var s) && s == active.Start ? s : null;
        return new WindowStatus(window, active, window.NextOccurrence(now), state.Holders.ContainsKey(PauseHolder.Window(window.Id)), skipped);
    }
}
