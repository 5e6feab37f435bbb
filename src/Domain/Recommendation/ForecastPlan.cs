using Thoras.Domain.Forecasting;
using Thoras.Domain.Stages;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Recommendation;

/// <summary>The plan for one target of a forecast pass: its outcome, and the items to carry out in order.</summary>
public sealed record ForecastPlan
{
    public required AIScaleTarget Target { get; init; }

    /// <summary>What the pass does for the target.</summary>
    public required ForecastOutcome Outcome { get; init; }

    /// <summary>Why: the publication's reason, or what is missing.</summary>
    public required string Detail { get; init; }

    /// <summary>The typed actions, each naming its target, kind and reason, in the order they are carried out.</summary>
    public IReadOnlyList<ForecastItem> Items { get; init; } = [];

    /// <summary>Each series' forecast.</summary>
    public IReadOnlyList<SeriesForecast> Series { get; init; } = [];

    /// <summary>The suggestion published, with whether it is expected to be applied; null when none is.</summary>
    public SuggestionRecord? Published { get; init; }

    /// <summary>The <c>Ready</c> condition the pass sets; null when the target is not due.</summary>
    public TargetCondition? Ready { get; init; }
}

/// <summary>What a <see cref="ForecastItem"/> is.</summary>
public enum ForecastItemKind
{
    /// <summary>The suggestion goes to <c>status.latestSuggestion</c>, with <c>Ready</c> (<see cref="PublishSuggestion"/>).</summary>
    Publish,

    /// <summary>A condition is set on the target without publishing (<see cref="ReportCondition"/>).</summary>
    Report,

    /// <summary>A forecaster state is saved after the forecast (<see cref="SaveModel"/>).</summary>
    SaveModel,

    /// <summary>The published suggestion joins the target's history (<see cref="RecordHistory"/>).</summary>
    RecordHistory,
}

/// <summary>One action of a forecast plan: its target, what kind it is, and why.</summary>
/// <param name="Target">The target it belongs to.</param>
/// <param name="TargetUid">The target's <c>metadata.uid</c>.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Reason">Why, in a sentence.</param>
public abstract record ForecastItem(TargetKey Target, string TargetUid, ForecastItemKind Kind, string Reason);

/// <summary>Publishes <paramref name="Status"/>'s suggestion (and its Ready condition); the reason says whether it is expected to be applied.</summary>
public sealed record PublishSuggestion(TargetKey Target, string TargetUid, StatusUpdate Status, bool ExpectedToApply, string Reason)
    : ForecastItem(Target, TargetUid, ForecastItemKind.Publish, Reason)
{
    /// <summary>The eligibility the expectation comes from: why it is held back, and the autonomous direction.</summary>
    public Eligibility? Eligibility { get; init; }
}

/// <summary>Sets conditions only: Ready after an observation forecast, or why the target cannot be forecast.</summary>
public sealed record ReportCondition(TargetKey Target, string TargetUid, StatusUpdate Status, string Reason)
    : ForecastItem(Target, TargetUid, ForecastItemKind.Report, Reason);

/// <summary>Saves the forecaster state of <paramref name="Series"/> after the forecast.</summary>
public sealed record SaveModel(TargetKey Target, string TargetUid, string Series, byte[] State, string Reason)
    : ForecastItem(Target, TargetUid, ForecastItemKind.SaveModel, Reason);

/// <summary>Appends the published suggestion to the target's history.</summary>
public sealed record RecordHistory(TargetKey Target, string TargetUid, SuggestionRecord Record, string Reason)
    : ForecastItem(Target, TargetUid, ForecastItemKind.RecordHistory, Reason);

/// <summary>What happened to one item of a forecast plan.</summary>
/// <param name="Item">The item.</param>
/// <param name="Done">Whether it was carried out.</param>
/// <param name="Error">Why not, when it failed.</param>
public sealed record ForecastItemOutcome(ForecastItem Item, bool Done, string? Error = null);

/// <summary>What one forecast tick did.</summary>
public sealed record ForecastPass(DateTimeOffset At, IReadOnlyList<ForecastedTarget> Targets)
{
    /// <summary>How long each named step took.</summary>
    public IReadOnlyList<StepTiming> Steps { get; init; } = [];

    /// <summary>How many targets had <paramref name="outcome"/>.</summary>
    public int Count(ForecastOutcome outcome) => Targets.Count(t => t.Outcome == outcome);
}

/// <summary>What the forecast stage did for one target.</summary>
/// <param name="Key">The target.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Detail">Why: the publication's reason, or the error.</param>
/// <param name="Series">Each series' forecast.</param>
/// <param name="Published">The suggestion published, if any.</param>
/// <param name="Ready">The <c>Ready</c> condition set (or, when the cluster failed too, meant to be set) on the target; null when it was not due.</param>
public sealed record ForecastedTarget(
    TargetKey Key, ForecastOutcome Outcome, string Detail, IReadOnlyList<SeriesForecast> Series, SuggestionRecord? Published, TargetCondition? Ready = null)
{
    /// <summary>The plan's items and what happened to each (empty when the target was not due or failed before acting).</summary>
    public IReadOnlyList<ForecastItemOutcome> Items { get; init; } = [];
}

/// <summary>One series' forecast: whether the model state was loaded from storage and whether it was retrained.</summary>
public sealed record SeriesForecast(string Series, bool LoadedState, bool Retrained, Forecast Forecast);

/// <summary>The result of forecasting one target.</summary>
public enum ForecastOutcome
{
    /// <summary>A suggestion was published.</summary>
    Published,

    /// <summary>
    /// Forecast, and the suggestion the status holds stands: this forecast would publish the same values and the same
    /// <c>Ready</c>, so nothing is written but the model states (docs/forecasting.md §3).
    /// </summary>
    Held,

    /// <summary>Observation mode: forecast, nothing published.</summary>
    Observed,

    /// <summary>The target was forecast less than <c>forecast_interval</c> ago.</summary>
    NotDue,

    /// <summary>The target could not be forecast (an error, its time budget ran out, or its workload is missing); retried next tick.</summary>
    Failed,

    /// <summary>The target's spec is invalid: it is reported (<c>Ready=False, InvalidSpec</c>) and not forecast.</summary>
    Invalid,
}
