using Thoras.Domain.Pause;

namespace Thoras.Functions.Pause;

/// <summary>Body of <c>POST /api/system/pause</c>.</summary>
/// <param name="Reason">Why scaling is paused (1–500 characters).</param>
/// <param name="Actor">Who is pausing, when the caller is not signed in through App Service authentication. Default: <c>api</c>.</param>
public sealed record PauseRequest(string Reason, string? Actor = null);

/// <summary>Optional body of <c>POST /api/system/resume</c>.</summary>
/// <param name="Force">Also clear window holders (skipping their current occurrence) and configmap. Default: false.</param>
/// <param name="Reason">Why scaling resumes.</param>
/// <param name="Actor">Who is resuming. Default: <c>api</c>.</param>
public sealed record ResumeRequest(bool Force = false, string? Reason = null, string? Actor = null);

/// <summary>Body of <c>POST /api/system/windows</c>.</summary>
/// <param name="Cron">5 fields (minute hour day month weekday) or 6 (leading seconds).</param>
/// <param name="Duration">How long each occurrence lasts: <c>90m</c>, <c>2h</c>, <c>1h30m</c> or ISO 8601 <c>PT2H</c>; at most 7 days.</param>
/// <param name="TimeZone">IANA (<c>Europe/Berlin</c>) or Windows (<c>W. Europe Standard Time</c>) id.</param>
/// <param name="Reason">Why the window exists.</param>
/// <param name="Enabled">Default: true.</param>
/// <param name="Id">1–40 lower-case letters, digits or dashes. Default: generated.</param>
/// <param name="Actor">Who creates it. Default: <c>api</c>.</param>
public sealed record CreateWindowRequest(string Cron, string Duration, string TimeZone, string Reason, bool Enabled = true, string? Id = null, string? Actor = null);

/// <summary>
/// The pause status as the API shows it: whether scaling is paused and why (exactly what the apply gate decides on,
/// <see cref="Domain.Pause.PauseStatus"/>), by whom, what could not be read, and which autonomous targets a pause affects.
/// <see cref="Revision"/> is null when the stored state could not be read.
/// </summary>
public sealed record PauseStatusView(
    bool Paused,
    long? Revision,
    IReadOnlyList<HolderView> Holders,
    string? ChangedBy,
    DateTimeOffset? ChangedAt,
    string? ChangeReason,
    bool AppSettingPaused,
    AffectedTargets AffectedTargets)
{
    /// <summary>Why scaling is paused (or <c>not paused</c>), as the apply gate gives it.</summary>
    public string Reason { get; init; } = Domain.Pause.PauseStatus.NotPaused;

    /// <summary>What could not be read (which makes scaling count as paused), each with its error.</summary>
    public IReadOnlyList<UnreadableView> Unreadable { get; init; } = [];
}

/// <summary>A part of the pause state that could not be read: what (for example the ConfigMap mirror) and why.</summary>
public sealed record UnreadableView(string Source, string Error);

/// <summary>One pause holder.</summary>
public sealed record HolderView(string Id, string Actor, string? Reason, DateTimeOffset Since);

/// <summary>The autonomous targets a pause affects (the confirmation preview); <see cref="Error"/> is set when they could not be listed.</summary>
public sealed record AffectedTargets(int? Count, IReadOnlyList<string> Names, string? Error);

/// <summary>The answer to a pause or resume: the status after it, whether it changed anything, and what failed after the change was durably made.</summary>
public sealed record PauseChangeResult(bool Changed, PauseStatusView Status, string? MirrorError, IReadOnlyList<string> ReconcileErrors);

/// <summary>A maintenance window as the API shows it.</summary>
public sealed record WindowView(
    string Id,
    string Cron,
    string Duration,
    string TimeZone,
    string Reason,
    bool Enabled,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    bool Active,
    DateTimeOffset? ActiveStart,
    DateTimeOffset? ActiveEnd,
    DateTimeOffset? NextStart,
    bool Holding,
    bool Skipped)
{
    public static WindowView Of(WindowStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var w = s.Window;
        return new WindowView(
            w.Id, w.Cron, WindowDuration.Format(w.Duration), w.TimeZone, w.Reason, w.Enabled, w.CreatedBy, w.CreatedAt,
            s.Active is not null, s.Active?.Start, s.Active?.End, s.Next?.Start, s.Holding, s.SkippedOccurrenceStart is not null);
    }
}

/// <summary>The list of maintenance windows.</summary>
public sealed record WindowList(IReadOnlyList<WindowView> Windows);
