using Thoras.Domain.Pause;
using Thoras.Domain.Stages;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Apply;

/// <summary>
/// What one run of the apply stage did: the gate's decision, one result per target (in target order), the plan and
/// what happened to each of its items (so events and metrics follow from them without deciding again), and how long
/// each named step took.
/// </summary>
public sealed record ApplyPass(GateDecision Gate, IReadOnlyList<TargetApplyResult> Targets)
{
    /// <summary>The plan the pass carried out.</summary>
    public ApplyPlan? Plan { get; init; }

    /// <summary>Target → what happened to each item of its plan (targets that failed before acting have none).</summary>
    public IReadOnlyDictionary<TargetKey, IReadOnlyList<ApplyItemOutcome>> Outcomes { get; init; } = new Dictionary<TargetKey, IReadOnlyList<ApplyItemOutcome>>();

    /// <summary>How long each named step took.</summary>
    public IReadOnlyList<StepTiming> Steps { get; init; } = [];

    /// <summary>Why the pass's audit records could not be written; null when they were (or there were none).</summary>
    public string? AuditError { get; init; }

    /// <summary>How many targets ended with <paramref name="outcome"/>.</summary>
    public int Count(ApplyOutcome outcome) => Targets.Count(t => t.Outcome == outcome);
}

/// <summary>What the apply stage did for one target in one run.</summary>
/// <param name="Key">The target.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">What was done, or why not, in a sentence.</param>
public sealed record TargetApplyResult(TargetKey Key, ApplyOutcome Outcome, string Detail);

/// <summary>How applying one target ended in one run.</summary>
public enum ApplyOutcome
{
    /// <summary>The latest suggestion is now fully applied (something changed in this run).</summary>
    Applied,

    /// <summary>Nothing to do: the latest suggestion was already applied.</summary>
    UpToDate,

    /// <summary>Part of it is applied; the rest waits (for the disruption budget or a PDB).</summary>
    InProgress,

    /// <summary>Deliberately not applied: paused, not autonomous, not enough data, no single HPA, no workload.</summary>
    NotApplied,

    /// <summary>An error or the time budget stopped it; retried on the next run.</summary>
    Failed,
}
