using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>The truth value of a condition, as Kubernetes writes it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConditionStatus>))]
public enum ConditionStatus
{
    True,
    False,
    Unknown,
}

/// <summary>
/// One entry of <c>status.conditions</c>, in the standard Kubernetes shape, so <c>kubectl describe</c> and
/// <c>kubectl wait --for=condition=Scaling</c> work. Build them with <see cref="TargetConditions"/>.
/// </summary>
public sealed record TargetCondition
{
    /// <summary><see cref="TargetConditionTypes.Ready"/> or <see cref="TargetConditionTypes.Scaling"/>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("status")]
    public required ConditionStatus Status { get; init; }

    /// <summary>A CamelCase cause from <see cref="TargetConditionReasons"/>.</summary>
    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    /// <summary>What a user needs to know, in a sentence.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; init; }

    /// <summary>When <see cref="Status"/> last changed.</summary>
    [JsonPropertyName("lastTransitionTime")]
    [JsonConverter(typeof(Rfc3339JsonConverter))]
    public required DateTimeOffset LastTransitionTime { get; init; }

    /// <summary>The <c>metadata.generation</c> of the spec this condition was computed from.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    /// <summary>
    /// Whether <paramref name="other"/> says the same (type, status, reason, message, observed generation): writing
    /// one over the other would change nothing but the time.
    /// </summary>
    public bool SaysTheSameAs(TargetCondition? other) =>
        other is not null && other.Type == Type && other.Status == Status && other.Reason == Reason && other.Message == Message
        && other.ObservedGeneration == ObservedGeneration;
}

/// <summary>The condition types of an AIScaleTarget.</summary>
public static class TargetConditionTypes
{
    /// <summary>
    /// The spec is valid and its workload was found: the target is collected and forecast. The forecast stage sets it
    /// each time it forecasts the target, so False also says why the last forecast failed.
    /// </summary>
    public const string Ready = "Ready";

    /// <summary>Suggestions are being applied to the workload. False says why not.</summary>
    public const string Scaling = "Scaling";
}

/// <summary>The reasons an AIScaleTarget's conditions give.</summary>
public static class TargetConditionReasons
{
    /// <summary>Ready: the spec is valid and the workload exists.</summary>
    public const string Resolved = "Resolved";

    /// <summary>Ready and Scaling: the spec breaks a rule of the CRD.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>Ready and Scaling: the Deployment or StatefulSet of <c>scaleTargetRef</c> does not exist.</summary>
    public const string WorkloadNotFound = "WorkloadNotFound";

    /// <summary>Ready: forecasting the target failed this tick (an error, or its time budget ran out); retried next tick.</summary>
    public const string ForecastFailed = "ForecastFailed";

    /// <summary>Scaling: suggestions are applied to the autonomous direction.</summary>
    public const string Applying = "Applying";

    /// <summary>Scaling: less usage history than <c>min_lookback_to_scale</c> exists yet.</summary>
    public const string NotEnoughData = "NotEnoughData";

    /// <summary>Scaling: horizontal autonomy needs exactly one HPA on the workload.</summary>
    public const string NoSingleHpa = "NoSingleHpa";

    /// <summary>Scaling: scaling is paused system-wide.</summary>
    public const string Paused = "Paused";

    /// <summary>Scaling: no direction is autonomous (recommendation or observation), so nothing is applied.</summary>
    public const string NotAutonomous = "NotAutonomous";
}

/// <summary>Builds the conditions that tell a user whether, and why not, an AIScaleTarget is scaling.</summary>
public static class TargetConditions
{
    /// <summary>Ready=True: the spec is valid and the workload was found.</summary>
    public static TargetCondition Ready(string workload, DateTimeOffset now, long? generation) => new()
    {
        Type = TargetConditionTypes.Ready,
        Status = ConditionStatus.True,
        Reason = TargetConditionReasons.Resolved,
        Message = $"Collecting usage and forecasting for {workload}.",
        LastTransitionTime = now,
        ObservedGeneration = generation,
    };

    /// <summary>Ready=False, InvalidSpec: lists every problem, so one <c>kubectl describe</c> shows what to fix.</summary>
    public static TargetCondition InvalidSpec(IReadOnlyList<SpecProblem> problems, DateTimeOffset now, long? generation)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return new()
        {
            Type = TargetConditionTypes.Ready,
            Status = ConditionStatus.False,
            Reason = TargetConditionReasons.InvalidSpec,
            Message = "The spec is invalid, so this target is neither forecast nor scaled: " + string.Join("; ", problems) + ".",
            LastTransitionTime = now,
            ObservedGeneration = generation,
        };
    }

    /// <summary>Ready=False, WorkloadNotFound.</summary>
    public static TargetCondition WorkloadNotFound(ScaleTargetRef reference, string @namespace, DateTimeOffset now, long? generation) => new()
    {
        Type = TargetConditionTypes.Ready,
        Status = ConditionStatus.False,
        Reason = TargetConditionReasons.WorkloadNotFound,
        Message = $"{reference} does not exist in namespace {@namespace}; nothing is collected until it does.",
        LastTransitionTime = now,
        ObservedGeneration = generation,
    };

    /// <summary>Ready=False, ForecastFailed: what went wrong; the next forecast tick tries again.</summary>
    public static TargetCondition ForecastFailed(string error, DateTimeOffset now, long? generation) => new()
    {
        Type = TargetConditionTypes.Ready,
        Status = ConditionStatus.False,
        Reason = TargetConditionReasons.ForecastFailed,
        Message = $"Forecasting failed and is retried on the next tick: {error}",
        LastTransitionTime = now,
        ObservedGeneration = generation,
    };

    /// <summary>Scaling=True: suggestions are applied to the autonomous direction.</summary>
    public static TargetCondition Applying(ScalingDirection direction, DateTimeOffset now, long? generation) => new()
    {
        Type = TargetConditionTypes.Scaling,
        Status = ConditionStatus.True,
        Reason = TargetConditionReasons.Applying,
        Message = $"Suggestions are applied {direction.ToWireName()}ly.",
        LastTransitionTime = now,
        ObservedGeneration = generation,
    };

    /// <summary>Scaling=False, NoSingleHpa: names the HPAs found, so the user knows which to remove or add.</summary>
    public static TargetCondition NoSingleHpa(string workload, IReadOnlyCollection<string> hpaNames, DateTimeOffset now, long? generation)
    {
        ArgumentNullException.ThrowIfNull(hpaNames);
        var found = hpaNames.Count == 0 ? "none was found" : $"found {hpaNames.Count}: {string.Join(", ", hpaNames)}";
        return new()
        {
            Type = TargetConditionTypes.Scaling,
            Status = ConditionStatus.False,
            Reason = TargetConditionReasons.NoSingleHpa,
            Message = $"Horizontal autonomy sets the minReplicas of the one HorizontalPodAutoscaler of {workload}, but {found}.",
            LastTransitionTime = now,
            ObservedGeneration = generation,
        };
    }

    /// <summary>Scaling=False, Paused: who holds the pause.</summary>
    public static TargetCondition Paused(IReadOnlyCollection<string> holders, DateTimeOffset now, long? generation)
    {
        ArgumentNullException.ThrowIfNull(holders);
        return new()
        {
            Type = TargetConditionTypes.Scaling,
            Status = ConditionStatus.False,
            Reason = TargetConditionReasons.Paused,
            Message = $"Scaling is paused ({string.Join(", ", holders)}); suggestions are published but not applied.",
            LastTransitionTime = now,
            ObservedGeneration = generation,
        };
    }

    /// <summary>Scaling=False, InvalidSpec.</summary>
    public static TargetCondition NotScalingInvalidSpec(DateTimeOffset now, long? generation) => new()
    {
        Type = TargetConditionTypes.Scaling,
        Status = ConditionStatus.False,
        Reason = TargetConditionReasons.InvalidSpec,
        Message = "The spec is invalid; see the Ready condition for what to fix.",
        LastTransitionTime = now,
        ObservedGeneration = generation,
    };

    /// <summary>Scaling=False, NotAutonomous: the target's modes.</summary>
    public static TargetCondition NotAutonomous(TargetSpec spec, DateTimeOffset now, long? generation)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var modes = string.Join(", ", spec.Directions.Select(d => $"{d.ToWireName()} is {spec.ModeOf(d)?.ToWireName() ?? "unset"}"));
        return new()
        {
            Type = TargetConditionTypes.Scaling,
            Status = ConditionStatus.False,
            Reason = TargetConditionReasons.NotAutonomous,
            Message = $"No direction is autonomous ({modes}), so suggestions are not applied.",
            LastTransitionTime = now,
            ObservedGeneration = generation,
        };
    }
}
