using Thoras.Domain.Targets;

namespace Thoras.Domain.Enrollment;

/// <summary>
/// The app's durable record of one enrolled AIScaleTarget: its identity (the UID, never the name), the modes
/// last seen, and the baseline needed to revert what the apply stage changed. Written by enrollment (sync),
/// the apply stage and mode changes; read by revert and unenroll.
/// </summary>
public sealed record EnrolledTarget
{
    public required TargetKey Key { get; init; }

    /// <summary>The AIScaleTarget's <c>metadata.uid</c>: a recreated target with the same name is a new record.</summary>
    public required string Uid { get; init; }

    /// <summary>When the app first saw the target.</summary>
    public required DateTimeOffset EnrolledAt { get; init; }

    /// <summary>The vertical mode as last adopted by the app.</summary>
    public TargetMode VerticalMode { get; init; } = TargetMode.Recommendation;

    /// <summary>The horizontal mode as last adopted by the app.</summary>
    public TargetMode HorizontalMode { get; init; } = TargetMode.Recommendation;

    /// <summary>What the apply stage changed vertically; null when nothing is applied (or it was reverted).</summary>
    public VerticalBaseline? Vertical { get; init; }

    /// <summary>What the apply stage changed on the HPA; null when the HPA is untouched (or was restored).</summary>
    public HorizontalBaseline? Horizontal { get; init; }

    /// <summary>Set once unenroll starts, so a crash half-way is finished by the next sync tick.</summary>
    public UnenrollProgress? Unenroll { get; init; }

    /// <summary>
    /// A mode change the API is making: recorded before the AST is written and cleared when the change is complete,
    /// so concurrent writers wait for it and a crash half-way is finished (or abandoned) by the next one.
    /// </summary>
    public PendingModeChange? Pending { get; init; }

    /// <summary>
    /// Audit records of changes this record already holds, not yet in the audit log (a transactional outbox: the
    /// change and its record are one write). Delivered right after the write, or by the next reader if that failed;
    /// each has a <see cref="Audit.AuditRecord.Key"/>, so delivering twice stores it once.
    /// </summary>
    public IReadOnlyList<Audit.AuditRecord> Outbox { get; init; } = [];

    /// <summary>The store's concurrency token; null for a record not yet saved.</summary>
    public string? ETag { get; init; }

    /// <summary>The mode of one direction.</summary>
    public TargetMode ModeOf(ScalingDirection direction) =>
        direction == ScalingDirection.Vertical ? VerticalMode : HorizontalMode;

    /// <summary>Whether any applied suggestion must be reverted before the workload runs on its controller spec again.</summary>
    public bool HasAppliedChanges => Vertical is not null || Horizontal is not null;
}

/// <summary>
/// A mode change through the API, between its two writes: the record (this, conditional on the record's ETag) and
/// the AST (conditional on <see cref="BaseResourceVersion"/>, carrying <see cref="Id"/> in the
/// <see cref="ModeChangeAnnotation"/>). Whoever finds it sees from the AST whether the second write happened.
/// </summary>
/// <param name="Id">The change's id, also written to the AST and used as its audit record's key.</param>
/// <param name="Actor">Who asked for it.</param>
/// <param name="Reason">Why, as given.</param>
/// <param name="Direction">The direction changed.</param>
/// <param name="Previous">Its mode before.</param>
/// <param name="Mode">Its mode after.</param>
/// <param name="BaseResourceVersion">The AST's <c>resourceVersion</c> the change was decided on.</param>
/// <param name="StartedAt">When it was decided; after <see cref="ModeSwitch.PendingTimeout"/> an unwritten change is abandoned.</param>
public sealed record PendingModeChange(
    string Id,
    string Actor,
    string? Reason,
    ScalingDirection Direction,
    TargetMode Previous,
    TargetMode Mode,
    string BaseResourceVersion,
    DateTimeOffset StartedAt)
{
    /// <summary>The AST annotation holding the id of the last mode change the API wrote (or fenced off).</summary>
    public const string ModeChangeAnnotation = "thoras.ai/mode-change";
}

/// <summary>
/// Vertical suggestions applied to a workload's pods (resized in place, recreated, or mutated at admission).
/// Reverting restarts the workload through a pod-template annotation; the controller spec is never rewritten.
/// </summary>
/// <param name="SuggestionUid">The suggestion last applied (idempotency key: never applied twice).</param>
/// <param name="AppliedAt">When it was last applied.</param>
/// <param name="ControllerSpec">The controller spec's container resources when first applied, for reference and checks.</param>
/// <param name="DonePods">Pod UIDs already brought to <paramref name="SuggestionUid"/>, so a crash half-way never resizes one twice.</param>
public sealed record VerticalBaseline(
    string SuggestionUid,
    DateTimeOffset AppliedAt,
    IReadOnlyList<ContainerResources> ControllerSpec,
    IReadOnlyList<string> DonePods);

/// <summary>A predictive floor set on the target's HPA, and the original <c>minReplicas</c> to restore.</summary>
/// <param name="HpaName">The HPA the floor was set on.</param>
/// <param name="OriginalMinReplicas">Its <c>minReplicas</c> before the app changed it (null: unset, which Kubernetes treats as 1).</param>
/// <param name="AppliedMinReplicas">The floor the app set.</param>
/// <param name="SuggestionUid">The suggestion it came from.</param>
/// <param name="AppliedAt">When it was set.</param>
public sealed record HorizontalBaseline(
    string HpaName,
    int? OriginalMinReplicas,
    int AppliedMinReplicas,
    string SuggestionUid,
    DateTimeOffset AppliedAt);

/// <summary>Unenroll in progress: who asked, when, and the steps already done (each step is idempotent).</summary>
/// <param name="Actor">Who unenrolled: an API caller, or <c>cluster</c> for <c>kubectl delete ast</c>.</param>
/// <param name="StartedAt">When unenroll started.</param>
/// <param name="CompletedSteps">Names of the cleanup steps already done.</param>
public sealed record UnenrollProgress(string Actor, DateTimeOffset StartedAt, IReadOnlyList<string> CompletedSteps);
