using Thoras.Domain.Pause;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Recommendation;

/// <summary>
/// The forecast stage's decisions (DESIGN.md §3, §7), in pure code: whether a target is due (at most once per
/// <c>forecast_interval</c>), what it needs read, and from its recommendation what is published (observation publishes
/// nothing), whether it is expected to be applied and why not (<see cref="SuggestionEligibility"/>), its <c>Ready</c>
/// condition, the model states to save and the history record. An invalid target is reported once per spec.
/// </summary>
public static class ForecastPlanner
{
    /// <summary>
    /// Why the target is not due, or null when it is: its last forecast (the latest suggestion's start, or
    /// <paramref name="remembered"/> for targets that publish nothing) is younger than its shortest <c>forecast_interval</c>.
    /// </summary>
    public static string? NotDue(AIScaleTarget target, DateTimeOffset? remembered, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        var spec = target.Spec;
        var interval = spec.Directions.Select(d => spec.ModelFor(d).ForecastInterval).DefaultIfEmpty(TargetDefaults.ForecastInterval).Min();
        var last = new[] { target.Status.LatestSuggestion?.Start, remembered }.Max();
        return last is { } since && now < since + interval ? $"the last forecast is younger than forecast_interval ({interval})" : null;
    }

    /// <summary>What a forecast reads around the target: its workload, its HPAs when it scales horizontally, and the pods of a selector target.</summary>
    public static TargetReads ReadsFor(AIScaleTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var reads = TargetReads.Workload;
        if (target.Spec.Horizontal is not null)
            reads |= TargetReads.Autoscalers;
        if (target.Spec.ScaleTargetRef is null)
            reads |= TargetReads.Pods;
        return reads;
    }

    /// <summary>
    /// The plan for a due target: <paramref name="resolved"/> null means its workload is missing (it fails, with
    /// <c>Ready=False</c>); otherwise <paramref name="recommendation"/> is published as suggestion
    /// <paramref name="suggestionUid"/>, unless no direction publishes. <paramref name="gate"/> is needed only when a
    /// direction is autonomous.
    /// </summary>
    /// <remarks>
    /// A steady tick writes only what changed (docs/forecasting.md §3): when the suggestion's published values
    /// (<see cref="SamePublishedValues"/>) and the <c>Ready</c> condition are those the status already holds, the held
    /// suggestion stands (<see cref="ForecastOutcome.Held"/>): no status write, no history record, its UID stays, so
    /// the apply stage has nothing new to do. Its <c>start</c>/<c>end</c> are refreshed (same UID, a status write,
    /// no history record) once it is <paramref name="refreshAfter"/> old (default
    /// <see cref="ForecastOptions.DefaultSuggestionRefresh"/>), which bounds how stale they can get. When
    /// <paramref name="heldRefusal"/> (why the held suggestion was not expected to apply when it was published,
    /// <see cref="Ineligibility.None"/> when it was; null when not known, as after a restart) differs from this
    /// forecast's, a new suggestion is published anyway, so the history records the change (a pause, a resume).
    /// </remarks>
    public static ForecastPlan Plan(
        AIScaleTarget target, ResolvedTarget? resolved, TargetRecommendation? recommendation, GateDecision? gate, DateTimeOffset now, string suggestionUid,
        TimeSpan? refreshAfter = null, Ineligibility? heldRefusal = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var spec = target.Spec;
        var generation = target.Metadata.Generation;
        var (key, uid) = (target.Key, target.Metadata.Uid);
        if (resolved is null || recommendation is null)
        {
            var missing = spec.ScaleTargetRef is { } reference
                ? TargetConditions.WorkloadNotFound(reference, target.Metadata.Namespace, now, generation)
                : TargetConditions.ForecastFailed("its workload does not exist", now, generation);
            return new ForecastPlan
            {
                Target = target,
                Outcome = ForecastOutcome.Failed,
                Detail = "its workload does not exist",
                Items = [new ReportCondition(key, uid, StatusUpdate.Setting(missing), missing.Message)],
                Ready = missing,
            };
        }

        var saves = recommendation.StatesToSave.Select(s => (ForecastItem)new SaveModel(key, uid, s.Key, s.Value, $"the forecaster state of {s.Key} after this forecast")).ToList();
        var ready = TargetConditions.Ready(resolved.Describe(), now, generation);
        var published = spec.Directions.Where(d => spec.ModeOf(d) is { } mode && mode.PublishesSuggestions()).ToList();
        if (published.Count == 0)
        {
            const string Observed = "observation mode: forecast, nothing published";
            return new ForecastPlan
            {
                Target = target,
                Outcome = ForecastOutcome.Observed,
                Detail = Observed,
                // Ready is written only when it says something new: a steady observation tick writes no status.
                Items = ready.SaysTheSameAs(target.Status.Condition(TargetConditionTypes.Ready))
                    ? saves
                    : [new ReportCondition(key, uid, StatusUpdate.Setting(ready), Observed), .. saves],
                Series = recommendation.Series,
                Ready = ready,
            };
        }

        var vertical = published.Contains(ScalingDirection.Vertical);
        var horizontal = published.Contains(ScalingDirection.Horizontal);
        var enough = (!vertical || recommendation.VerticalHasEnoughData) && (!horizontal || recommendation.HorizontalHasEnoughData);
        var horizon = published.Select(d => spec.ModelFor(d).ForecastBlocks).Min();
        var suggestion = new Suggestion
        {
            SuggestionUID = suggestionUid,
            Start = now,
            End = now + horizon,
            HasEnoughDataToScale = enough,
            SuggestedReplicas = enough && horizontal ? recommendation.Replicas : null,
            ResourceRecommendations = enough && vertical ? recommendation.Containers : null,
        };
        var eligibility = spec.AutonomousDirection is null
            ? SuggestionEligibility.BeforeWorkload(spec, suggestion, null)
            : SuggestionEligibility.Check(spec, suggestion, gate ?? throw new ArgumentNullException(nameof(gate), "An autonomous target's publication needs the gate's decision."), resolved, recommendation.ReplicasProblem);
        var held = target.Status.LatestSuggestion;
        if (held?.SuggestionUID is { } heldUid && SamePublishedValues(held, suggestion) && ready.SaysTheSameAs(target.Status.Condition(TargetConditionTypes.Ready))
            && (heldRefusal is null || heldRefusal == eligibility.Refusal))
        {
            if (now - held.Start < (refreshAfter ?? ForecastOptions.DefaultSuggestionRefresh))
            {
                return new ForecastPlan
                {
                    Target = target,
                    Outcome = ForecastOutcome.Held,
                    Detail = $"suggestion {heldUid} stands: this forecast publishes the same values ({eligibility.Reason})",
                    Items = saves,
                    Series = recommendation.Series,
                    Ready = target.Status.Condition(TargetConditionTypes.Ready),
                };
            }

            // The refresh moves start and end only: the same UID, so the apply stage still has nothing to do, and the
            // history already holds this suggestion.
            return Publishing(suggestion with { SuggestionUID = heldUid }, $"suggestion {heldUid} is refreshed (start and end): {eligibility.Reason}", history: false);
        }

        return Publishing(suggestion, eligibility.Reason, history: true);

        ForecastPlan Publishing(Suggestion published, string reason, bool history)
        {
            var record = new SuggestionRecord(now, published, eligibility.IsEligible, eligibility.Reason);
            ForecastItem[] recorded = history ? [new RecordHistory(key, uid, record, $"suggestion {suggestionUid} joins the history")] : [];
            return new ForecastPlan
            {
                Target = target,
                Outcome = ForecastOutcome.Published,
                Detail = eligibility.Reason,
                Items =
                [
                    new PublishSuggestion(key, uid, new StatusUpdate { LatestSuggestion = published, Conditions = [ready] }, eligibility.IsEligible, reason) { Eligibility = eligibility },
                    .. saves,
                    .. recorded,
                ],
                Series = recommendation.Series,
                Published = record,
                Ready = ready,
            };
        }
    }

    /// <summary>
    /// Whether two suggestions publish the same values: <c>hasEnoughDataToScale</c>, <c>suggestedReplicas</c> and each
    /// container's recommended requests and limits, in order. Their UIDs, start and end are not compared.
    /// </summary>
    public static bool SamePublishedValues(Suggestion a, Suggestion b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.HasEnoughDataToScale != b.HasEnoughDataToScale || a.SuggestedReplicas != b.SuggestedReplicas)
            return false;
        if (a.ResourceRecommendations is null || b.ResourceRecommendations is null)
            return a.ResourceRecommendations is null && b.ResourceRecommendations is null;
        return a.ResourceRecommendations.SequenceEqual(b.ResourceRecommendations);
    }

    /// <summary>The conditions that report a target that cannot be forecast this pass (an error, or its time budget ran out).</summary>
    public static TargetCondition Failed(AIScaleTarget target, string error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        return TargetConditions.ForecastFailed(error, now, target.Metadata.Generation);
    }

    /// <summary>The signature under which an invalid target's report is remembered: its generation and problems.</summary>
    public static string InvalidSignature(InvalidTarget invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        return $"{invalid.Metadata.Generation}|{InvalidDetail(invalid)}";
    }

    /// <summary>What an invalid target is told, in a sentence.</summary>
    public static string InvalidDetail(InvalidTarget invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        return "invalid spec: " + string.Join("; ", invalid.Problems);
    }

    /// <summary>
    /// An invalid target is neither forecast nor scaled; it gets <c>Ready=False</c> and <c>Scaling=False</c>, reason
    /// <c>InvalidSpec</c>, listing every problem. Written once per spec: null when <paramref name="reported"/> (the
    /// signature last written) is this spec's.
    /// </summary>
    public static StatusUpdate? ReportInvalid(InvalidTarget invalid, string? reported, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        if (reported == InvalidSignature(invalid))
            return null;
        var generation = invalid.Metadata.Generation;
        return StatusUpdate.Setting(TargetConditions.InvalidSpec(invalid.Problems, now, generation), TargetConditions.NotScalingInvalidSpec(now, generation));
    }
}
