namespace Thoras.Domain.Audit;

/// <summary>One durable, append-only record of a state change: who did what to which subject, when and why.</summary>
/// <param name="At">When the change took effect.</param>
/// <param name="Actor">Who made it: <c>manual</c>, <c>configmap</c>, <c>cluster</c>, <c>window:&lt;id&gt;</c>, <c>app-setting</c>, <c>system</c> or a user name.</param>
/// <param name="Action">What was done, as a stable verb such as <c>pause</c>, <c>resume</c>, <c>mode-change</c>, <c>unenroll</c>.</param>
/// <param name="Subject">What it was done to: <c>system</c>, or a target as <c>namespace/name</c>.</param>
/// <param name="Reason">Why, as given by the actor; may be empty.</param>
/// <param name="Previous">The state before the change, in a compact human-readable form.</param>
/// <param name="Current">The state after the change.</param>
/// <param name="TargetUid">The AIScaleTarget's <c>metadata.uid</c> when the subject is a target.</param>
public sealed record AuditRecord(
    DateTimeOffset At,
    string Actor,
    string Action,
    string Subject,
    string? Reason = null,
    string? Previous = null,
    string? Current = null,
    string? TargetUid = null)
{
    /// <summary>Stable identifier assigned when the record is appended; empty until then.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>
    /// Makes appending idempotent: a record with the same <see cref="At"/> and key is stored once, however often it is
    /// appended (a retried delivery, two writers finishing the same change). At most 200 ASCII letters, digits, dashes or dots;
    /// null for records appended once by construction.
    /// </summary>
    public string? Key { get; init; }
}
