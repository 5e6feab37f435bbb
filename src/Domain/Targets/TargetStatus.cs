using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>The <c>status</c> of an AIScaleTarget, written only by the app through the status subresource.</summary>
public sealed record TargetStatus
{
    /// <summary>The most recent published suggestion.</summary>
    [JsonPropertyName("latestSuggestion")]
    public Suggestion? LatestSuggestion { get; init; }

    /// <summary>The UID of the last suggestion the apply stage finished with (applied, or decided not to apply).</summary>
    [JsonPropertyName("lastProcessedSuggestionUID")]
    public string? LastProcessedSuggestionUID { get; init; }

    /// <summary>
    /// Whether the latest suggestion is applied (<see cref="LastProcessedSuggestionUID"/> is its UID); null while none
    /// is published. Derived, and written with every status write, so <c>kubectl get ast</c> can show it as a column: a
    /// printer column's JSONPath cannot compare two fields.
    /// </summary>
    [JsonPropertyName("latestSuggestionApplied")]
    public bool? LatestSuggestionApplied =>
        LatestSuggestion?.SuggestionUID is { } uid ? uid == LastProcessedSuggestionUID : null;

    /// <summary>Why the target is, or is not, scaling. One entry per type.</summary>
    [JsonPropertyName("conditions")]
    public IReadOnlyList<TargetCondition>? Conditions { get; init; }

    /// <summary>The condition of a type, if set.</summary>
    public TargetCondition? Condition(string type) => Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>
    /// This status with <paramref name="condition"/> set, replacing the one of the same type. As Kubernetes does,
    /// the transition time is kept when the condition's status does not change, so it says since when it holds.
    /// </summary>
    public TargetStatus WithCondition(TargetCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var existing = Condition(condition.Type);
        var kept = existing is not null && existing.Status == condition.Status
            ? condition with { LastTransitionTime = existing.LastTransitionTime }
            : condition;
        var others = (Conditions ?? []).Where(c => c.Type != condition.Type);
        return this with { Conditions = others.Append(kept).OrderBy(c => c.Type, StringComparer.Ordinal).ToList() };
    }
}

/// <summary>A published suggestion (<c>status.latestSuggestion</c>): what the forecast says the target should have.</summary>
public sealed record Suggestion
{
    /// <summary>Unique per suggestion; applying is idempotent by this UID.</summary>
    [JsonPropertyName("suggestionUID")]
    public string? SuggestionUID { get; init; }

    /// <summary>The start of the forecast block the suggestion covers.</summary>
    [JsonPropertyName("start")]
    [JsonConverter(typeof(Rfc3339JsonConverter))]
    public DateTimeOffset Start { get; init; }

    /// <summary>The end of the forecast block.</summary>
    [JsonPropertyName("end")]
    [JsonConverter(typeof(Rfc3339JsonConverter))]
    public DateTimeOffset End { get; init; }

    /// <summary>False until <c>min_lookback_to_scale</c> of history exists; nothing is applied until then.</summary>
    [JsonPropertyName("hasEnoughDataToScale")]
    public bool HasEnoughDataToScale { get; init; }

    /// <summary>The horizontal suggestion, when the target scales horizontally.</summary>
    [JsonPropertyName("suggestedReplicas")]
    public int? SuggestedReplicas { get; init; }

    /// <summary>The vertical suggestion per container, when the target scales vertically.</summary>
    [JsonPropertyName("resourceRecommendations")]
    public IReadOnlyList<ResourceRecommendation>? ResourceRecommendations { get; init; }
}

/// <summary>The suggested requests (and limits, where <c>limit.ratio</c> is set) of one container.</summary>
public sealed record ResourceRecommendation
{
    [JsonPropertyName("containerName")]
    public string? ContainerName { get; init; }

    [JsonPropertyName("requests")]
    public ResourceAmounts? Requests { get; init; }

    /// <summary>Absent when limits are left alone.</summary>
    [JsonPropertyName("limits")]
    public ResourceAmounts? Limits { get; init; }
}

/// <summary>CPU and memory amounts.</summary>
public sealed record ResourceAmounts
{
    [JsonPropertyName("cpu")]
    public Quantity? Cpu { get; init; }

    [JsonPropertyName("memory")]
    public Quantity? Memory { get; init; }
}
