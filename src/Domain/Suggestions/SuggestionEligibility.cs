using Thoras.Domain.Pause;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Suggestions;

/// <summary>Why a target's latest suggestion may not be applied; <see cref="None"/> when it may.</summary>
public enum Ineligibility
{
    /// <summary>It may be applied.</summary>
    None,

    /// <summary>No direction is autonomous (recommendation or observation mode).</summary>
    NotAutonomous,

    /// <summary>No suggestion has been published yet.</summary>
    NoSuggestion,

    /// <summary>The suggestion was made with less history than <c>min_lookback_to_scale</c>.</summary>
    NotEnoughData,

    /// <summary>Scaling is paused, or the pause state cannot be read (the gate fails closed).</summary>
    Paused,

    /// <summary>The Deployment or StatefulSet of <c>scaleTargetRef</c> does not exist.</summary>
    WorkloadMissing,

    /// <summary>Horizontal autonomy needs exactly one HPA on the workload.</summary>
    NoSingleHpa,

    /// <summary>Horizontal autonomy, but the suggestion carries no replica count.</summary>
    NoReplicaCount,
}

/// <summary>Whether a target's latest suggestion may be applied, and if not why, in a sentence.</summary>
/// <param name="Refusal">Why not; <see cref="Ineligibility.None"/> when it may.</param>
/// <param name="Reason">The reason in words, as the suggestion history, the apply results and admission give it.</param>
/// <param name="Direction">The autonomous direction, when there is one.</param>
public sealed record Eligibility(Ineligibility Refusal, string Reason, ScalingDirection? Direction)
{
    /// <summary>What an applicable suggestion is told.</summary>
    public const string EligibleReason = "autonomous and not paused";

    /// <summary>Whether the suggestion may be applied.</summary>
    public bool IsEligible => Refusal == Ineligibility.None;
}

/// <summary>
/// The one rule for whether a target's latest suggestion may be applied, used by the forecast stage (to record whether
/// a suggestion is expected to be applied), the apply stage and the admission webhook, so all three give the same
/// answer. The checks run in this order and the first that fails is the answer: a direction is autonomous; a
/// suggestion with a UID exists and was made with enough history; the gate lets scaling run; the workload exists;
/// for horizontal autonomy, the workload has exactly one HPA and the suggestion a replica count.
/// </summary>
public static class SuggestionEligibility
{
    /// <summary>
    /// The checks that need nothing beyond the target and the gate: a stage runs these first, and reads the target's
    /// workload only when they pass. A null <paramref name="gate"/> means not asked yet: eligible up to the gate.
    /// </summary>
    public static Eligibility BeforeWorkload(TargetSpec spec, Suggestion? suggestion, GateDecision? gate)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.AutonomousDirection is not { } direction)
            return new(Ineligibility.NotAutonomous, NotAutonomousReason(spec), null);
        if (suggestion?.SuggestionUID is null)
            return new(Ineligibility.NoSuggestion, "no suggestion has been published yet", direction);
        if (!suggestion.HasEnoughDataToScale)
            return new(Ineligibility.NotEnoughData, "not enough data: less usage history than min_lookback_to_scale", direction);
        if (gate is { MayApply: false })
            return new(Ineligibility.Paused, gate.Reason, direction);
        return new(Ineligibility.None, Eligibility.EligibleReason, direction);
    }

    /// <summary>
    /// Every check, on the target's resolved workload (null: it does not exist). <paramref name="replicasProblem"/> says
    /// why the suggestion has no replica count, when the caller knows.
    /// </summary>
    public static Eligibility Check(TargetSpec spec, Suggestion? suggestion, GateDecision gate, ResolvedTarget? resolved, string? replicasProblem = null)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var early = BeforeWorkload(spec, suggestion, gate);
        if (!early.IsEligible)
            return early;
        var direction = early.Direction!.Value;
        if (resolved is null)
            return new(Ineligibility.WorkloadMissing, "its workload does not exist", direction);
        if (direction == ScalingDirection.Horizontal && resolved.SingleAutoscaler is null)
            return new(Ineligibility.NoSingleHpa, $"no single HPA: the workload has {resolved.Autoscalers.Count}, horizontal scaling needs exactly one", direction);
        if (direction == ScalingDirection.Horizontal && suggestion!.SuggestedReplicas is null)
            return new(Ineligibility.NoReplicaCount, replicasProblem ?? "the suggestion has no replica count", direction);
        return early;
    }

    private static string NotAutonomousReason(TargetSpec spec) =>
        spec.Directions.Any(d => spec.ModeOf(d) == TargetMode.Recommendation)
            ? "recommendation mode: suggestions are published, never applied"
            : "observation mode: suggestions are neither published nor applied";
}
