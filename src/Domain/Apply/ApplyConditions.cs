using Thoras.Domain.Targets;

namespace Thoras.Domain.Apply;

/// <summary>The <c>Scaling</c> conditions only the apply stage writes: why a suggestion was not applied, or failed to be.</summary>
public static class ApplyConditions
{
    /// <summary>Scaling=False: applying failed this tick and is retried on the next.</summary>
    public const string ApplyFailedReason = "ApplyFailed";

    /// <summary>Scaling=False, NotEnoughData: the latest suggestion may not be applied yet (or none was published).</summary>
    public static TargetCondition NotEnoughData(Suggestion? suggestion, DateTimeOffset now, long? generation) => new()
    {
        Type = TargetConditionTypes.Scaling,
        Status = ConditionStatus.False,
        Reason = TargetConditionReasons.NotEnoughData,
        Message = suggestion?.SuggestionUID is null
            ? "No suggestion has been published yet, so nothing is applied."
            : $"Suggestion {suggestion.SuggestionUID} was made with less usage history than min_lookback_to_scale (hasEnoughDataToScale is false), so it is not applied.",
        LastTransitionTime = now,
        ObservedGeneration = generation,
    };

    /// <summary>Scaling=False, NotEnoughData: a horizontal suggestion without a replica count leaves the HPA as it is.</summary>
    public static TargetCondition NoReplicaCount(Suggestion suggestion, DateTimeOffset now, long? generation) => new()
    {
        Type = TargetConditionTypes.Scaling,
        Status = ConditionStatus.False,
        Reason = TargetConditionReasons.NotEnoughData,
        Message = $"Suggestion {suggestion?.SuggestionUID} has no replica count, so the HPA's minReplicas is left as it is.",
        LastTransitionTime = now,
        ObservedGeneration = generation,
    };

    /// <summary>Scaling=False, ApplyFailed: what went wrong; the next tick tries again.</summary>
    public static TargetCondition ApplyFailed(string error, DateTimeOffset now, long? generation) => new()
    {
        Type = TargetConditionTypes.Scaling,
        Status = ConditionStatus.False,
        Reason = ApplyFailedReason,
        Message = $"Applying the latest suggestion failed and is retried on the next tick: {error}",
        LastTransitionTime = now,
        ObservedGeneration = generation,
    };

    /// <summary>Scaling=True, Applying, with how far the latest suggestion got.</summary>
    public static TargetCondition Applying(ScalingDirection direction, string progress, DateTimeOffset now, long? generation) =>
        TargetConditions.Applying(direction, now, generation) with
        {
            Message = $"Suggestions are applied {direction.ToWireName()}ly; {progress}.",
        };
}
