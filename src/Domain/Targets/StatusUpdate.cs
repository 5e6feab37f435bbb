namespace Thoras.Domain.Targets;

/// <summary>
/// A change to a target's status, as data a planner can return and a test can compare: the suggestion to publish, the
/// suggestion the apply stage finished with, and the conditions to set (each replacing the one of its type, keeping its
/// transition time when its status does not change).
/// </summary>
public sealed record StatusUpdate
{
    /// <summary>Published to <c>status.latestSuggestion</c> when set.</summary>
    public Suggestion? LatestSuggestion { get; init; }

    /// <summary>Written to <c>status.lastProcessedSuggestionUID</c> when set.</summary>
    public string? LastProcessedSuggestionUid { get; init; }

    /// <summary>The conditions to set.</summary>
    public IReadOnlyList<TargetCondition> Conditions { get; init; } = [];

    /// <summary>An update that sets <paramref name="conditions"/> only.</summary>
    public static StatusUpdate Setting(params TargetCondition[] conditions) => new() { Conditions = conditions };

    /// <summary>
    /// Whether writing this update to <paramref name="status"/> would change anything: a suggestion to publish, a new
    /// <c>lastProcessedSuggestionUID</c>, or a condition that says something the held one does not (a condition that
    /// says the same is not rewritten, so its <c>lastTransitionTime</c> and the object's version stay).
    /// </summary>
    public bool Changes(TargetStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return LatestSuggestion is not null
            || (LastProcessedSuggestionUid is not null && LastProcessedSuggestionUid != status.LastProcessedSuggestionUID)
            || Conditions.Any(c => !c.SaysTheSameAs(status.Condition(c.Type)));
    }

    /// <summary><paramref name="status"/> with this update applied.</summary>
    public TargetStatus ApplyTo(TargetStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var next = status;
        if (LatestSuggestion is not null)
            next = next with { LatestSuggestion = LatestSuggestion };
        if (LastProcessedSuggestionUid is not null)
            next = next with { LastProcessedSuggestionUID = LastProcessedSuggestionUid };
        return Conditions.Aggregate(next, (s, c) => s.WithCondition(c));
    }
}
