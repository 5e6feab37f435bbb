using System.Collections.Concurrent;
using Thoras.Domain.Events;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Pause;
using Thoras.Domain.Stages;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Thoras.Domain.Telemetry;

namespace Thoras.Domain.Recommendation;

/// <summary>
/// The forecast stage (DESIGN.md §3, §7): for every valid target not being deleted, in every mode and also while
/// paused, at most once per <c>forecast_interval</c>, in four named steps over one cluster snapshot:
/// <list type="number">
/// <item><b>load</b>: the targets (one list), then per target its workload (listed per namespace), the stored usage of
/// its series (one read) and their saved model states;</item>
/// <item><b>plan</b>: the <see cref="TargetRecommender"/> forecasts each series and builds the suggestion, and
/// <see cref="ForecastPlanner.Plan"/> decides what is published and whether it is expected to be applied;</item>
/// <item><b>act</b>: the suggestion and <c>Ready</c> go to the status (a conditional write on the snapshot's
/// version), retrained model states to the model store;</item>
/// <item><b>record</b>: the suggestion joins the history; then the pass's events and metrics
/// (<see cref="ForecastSignals"/>, from the plans and what happened to their items).</item>
/// </list>
/// Observation publishes no suggestion. Targets run through the shared <see cref="TargetRunner"/> (bounded
/// parallelism, a time budget each); a target that fails gets <c>Ready=False</c> and is retried next tick.
/// </summary>
/// <remarks>
/// Register it as a singleton: when each target was last forecast is remembered between ticks, because observation
/// targets publish nothing that would say so. After a restart they are forecast once more at the next tick.
/// </remarks>
public sealed class ForecastStage(
    ITargetCluster cluster,
    IUsageStore usage,
    IModelStore models,
    ISuggestionHistory history,
    SuggestionGate gate,
    TargetRecommender recommender,
    ForecastOptions options,
    TimeProvider time,
    IEventRecorder? events = null)
{
    /// <summary>The stage's name in step timings.</summary>
    public const string StageName = "forecast";

    private readonly ConcurrentDictionary<string, (string Namespace, DateTimeOffset At)> lastForecast = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Namespace, string Signature)> invalidReported = new(StringComparer.Ordinal);

    // Why the last suggestion published to each target was not expected to apply (None: it was), so a change of that
    // alone (a pause, a resume) still reaches the history; unknown after a restart (then the values decide alone).
    private readonly ConcurrentDictionary<string, (string Namespace, Ineligibility Refusal)> publishedRefusal = new(StringComparer.Ordinal);
    private readonly TargetRunner runner = new(options.MaxParallelTargets, options.TargetTimeBudget, time);
    private readonly ForecastSignals signals = new(events);

    /// <summary>Forecasts every target that is due; the results are ordered by target.</summary>
    public Task<ForecastPass> RunOnceAsync(CancellationToken cancellationToken) => RunOnceAsync(TargetScope.All, cancellationToken);

    /// <summary>Forecasts the targets of <paramref name="scope"/> that are due (a batch of a fanned-out pass).</summary>
    public async Task<ForecastPass> RunOnceAsync(TargetScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var now = time.GetUtcNow();
        var steps = new StageSteps(StageName, time);
        var snapshot = await steps.RunAsync(StageSteps.Load, () => ClusterSnapshot.TakeAsync(cluster, scope, options.TargetTimeBudget, time, cancellationToken));

        // The gate is read at most once per pass, and only when a target needs it; the Lazy hands every target the same read.
        var decision = new Lazy<Task<GateDecision>>(() => gate.DecideAsync(cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication);
        var results = new List<ForecastedTarget>();
        var due = new List<AIScaleTarget>();
        foreach (var target in snapshot.Targets)
        {
            var notDue = ForecastPlanner.NotDue(target, lastForecast.TryGetValue(target.Metadata.Uid, out var last) ? last.At : null, now);
            if (notDue is null)
                due.Add(target);
            else
                results.Add(new ForecastedTarget(target.Key, ForecastOutcome.NotDue, notDue, [], null));
        }

        results.AddRange(await runner.RunAsync(
            due,
            (target, token) => ThorasTelemetry.TraceTargetAsync(StageName, target.Key, target.Metadata.Uid,
                () => ForecastAsync(target, snapshot, decision, steps, now, token), r => r.Outcome == ForecastOutcome.Failed ? r.Detail : null),
            FailedAsync,
            cancellationToken));
        results.AddRange(await runner.RunAsync(snapshot.Invalid, (invalid, token) => ReportInvalidAsync(invalid, now, token), InvalidFailedAsync, cancellationToken));

        Forget(snapshot, scope);
        await steps.RunAsync(StageSteps.Record, () => signals.RecordAsync(results, cancellationToken));
        return new ForecastPass(now, [.. results.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal)]) { Steps = steps.Timings };
    }

    /// <summary>The forecaster settings of one direction of a target.</summary>
    public ForecastSettings SettingsFor(TargetSpec spec, ScalingDirection direction) => recommender.SettingsFor(spec, direction);

    private async Task<ForecastedTarget> ForecastAsync(
        AIScaleTarget target, ClusterSnapshot snapshot, Lazy<Task<GateDecision>> decision, StageSteps steps, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var input = await steps.RunAsync(StageSteps.Load, () => LoadAsync(target, snapshot, now, cancellationToken));

        // The read is shared, so it runs under the pass's token; each target waits for it only within its own budget.
        GateDecision? gateDecision = target.Spec.AutonomousDirection is null || input is null ? null : await decision.Value.WaitAsync(cancellationToken);
        var plan = steps.Run(StageSteps.Plan, () =>
            ForecastPlanner.Plan(target, input?.Resolved, input is null ? null : recommender.Recommend(input), gateDecision, now, Guid.NewGuid().ToString(), options.SuggestionRefresh,
                publishedRefusal.TryGetValue(target.Metadata.Uid, out var refusal) ? refusal.Refusal : null));
        if (plan.Outcome == ForecastOutcome.Failed)
            return await ReportFailureAsync(plan, cancellationToken);

        var outcomes = new List<ForecastItemOutcome>();
        await steps.RunAsync(StageSteps.Act, async () =>
        {
            // The plan's state saves are contiguous: carried out together, at the place of the first, in one write.
            var saves = plan.Items.OfType<SaveModel>().ToList();
            foreach (var item in plan.Items.Where(i => i.Kind is not ForecastItemKind.RecordHistory))
            {
                if (item is not SaveModel)
                {
                    outcomes.Add(await CarryOutAsync(target, item, cancellationToken));
                }
                else if (ReferenceEquals(item, saves[0]))
                {
                    await models.SaveAllAsync(target.Metadata.Uid, saves.Select(m => new SeriesState(m.Series, m.State)).ToList(), cancellationToken);
                    outcomes.AddRange(saves.Select(m => new ForecastItemOutcome(m, Done: true)));
                }
            }
        });
        await steps.RunAsync(StageSteps.Record, async () =>
        {
            foreach (var item in plan.Items.Where(i => i.Kind is ForecastItemKind.RecordHistory))
                outcomes.Add(await CarryOutAsync(target, item, cancellationToken));
        });

        lastForecast[target.Metadata.Uid] = (target.Metadata.Namespace, now);
        if (plan.Items.OfType<PublishSuggestion>().FirstOrDefault() is { Eligibility: { } published })
            publishedRefusal[target.Metadata.Uid] = (target.Metadata.Namespace, published.Refusal);
        if (input is not null)
            signals.Score(target, target.Status.LatestSuggestion, input.Usage, recommender.SettingsFor(target.Spec, ScalingDirection.Vertical).Block, now, options.SuggestionRefresh);
        return new ForecastedTarget(target.Key, plan.Outcome, plan.Detail, plan.Series, plan.Published, plan.Ready) { Items = outcomes };
    }

    private async Task<RecommendationInput?> LoadAsync(AIScaleTarget target, ClusterSnapshot snapshot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var resolved = await snapshot.ResolveAsync(target, ForecastPlanner.ReadsFor(target), cancellationToken);
        if (resolved is null)
            return null;
        var series = recommender.SeriesFor(resolved).Select(s => s.Series).Distinct(StringComparer.Ordinal).ToList();
        var stored = series.Count == 0
            ? new Dictionary<string, IReadOnlyList<UsageBlock>>()
            : await usage.ListAsync(target.Metadata.Uid, series, now - recommender.UsageWindow, cancellationToken);
        // All the target's forecaster states in one read (they share its partition).
        var withUsage = series.Where(s => stored.TryGetValue(s, out var blocks) && blocks.Count > 0).ToList();
        IReadOnlyDictionary<string, byte[]> states = withUsage.Count == 0
            ? new Dictionary<string, byte[]>(StringComparer.Ordinal)
            : await models.LoadAllAsync(target.Metadata.Uid, withUsage, cancellationToken);
        return new RecommendationInput(resolved, stored, states, now);
    }

    /// <summary>Carries out one item; a failure propagates, so the target fails (and is retried) as a whole.</summary>
    private async Task<ForecastItemOutcome> CarryOutAsync(AIScaleTarget target, ForecastItem item, CancellationToken cancellationToken)
    {
        switch (item)
        {
            case PublishSuggestion publish:
                await cluster.UpdateStatusAsync(target, publish.Status.ApplyTo, cancellationToken);
                break;
            case ReportCondition report:
                await cluster.UpdateStatusAsync(target, report.Status.ApplyTo, cancellationToken);
                break;
            case RecordHistory record:
                await history.AppendAsync(record.TargetUid, record.Record, cancellationToken);
                break;
        }

        return new ForecastItemOutcome(item, Done: true);
    }

    /// <summary>A target whose workload is missing fails; the condition saying so must not hang the pass: it gets a budget of its own.</summary>
    private async Task<ForecastedTarget> ReportFailureAsync(ForecastPlan plan, CancellationToken cancellationToken)
    {
        var target = plan.Target;
        await cluster.TryUpdateStatusAsync(target.Key, target.Metadata.Uid, s => s.WithCondition(plan.Ready!), options.TargetTimeBudget, time, cancellationToken);
        return new ForecastedTarget(target.Key, ForecastOutcome.Failed, plan.Detail, [], null, plan.Ready);
    }

    private async Task<ForecastedTarget> FailedAsync(AIScaleTarget target, string error, CancellationToken cancellationToken)
    {
        var failed = ForecastPlanner.Failed(target, error, time.GetUtcNow());
        return await ReportFailureAsync(new ForecastPlan { Target = target, Outcome = ForecastOutcome.Failed, Detail = error, Ready = failed }, cancellationToken);
    }

    private async Task<ForecastedTarget> ReportInvalidAsync(InvalidTarget invalid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var detail = ForecastPlanner.InvalidDetail(invalid);
        var ready = TargetConditions.InvalidSpec(invalid.Problems, now, invalid.Metadata.Generation);
        var update = ForecastPlanner.ReportInvalid(invalid, invalidReported.TryGetValue(invalid.Metadata.Uid, out var reported) ? reported.Signature : null, now);
        // Remembered only once written, so a failed write is tried again next tick.
        var written = update is not null && await cluster.TryUpdateStatusAsync(invalid.Key, invalid.Metadata.Uid, update.ApplyTo, options.TargetTimeBudget, time, cancellationToken);
        if (written)
            invalidReported[invalid.Metadata.Uid] = (invalid.Metadata.Namespace, ForecastPlanner.InvalidSignature(invalid));
        return new ForecastedTarget(invalid.Key, ForecastOutcome.Invalid, detail, [], null, ready)
        {
            Items = written ? [new ForecastItemOutcome(new ReportCondition(invalid.Key, invalid.Metadata.Uid, update!, detail), Done: true)] : [],
        };
    }

    private static Task<ForecastedTarget> InvalidFailedAsync(InvalidTarget invalid, string error, CancellationToken cancellationToken) =>
        Task.FromResult(new ForecastedTarget(invalid.Key, ForecastOutcome.Invalid, $"{ForecastPlanner.InvalidDetail(invalid)} ({error})", [], null));

    /// <summary>Forgets targets of the scope that are gone, and invalid ones that were fixed (or are gone).</summary>
    private void Forget(ClusterSnapshot snapshot, TargetScope scope)
    {
        var listed = snapshot.Targets.Select(t => t.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        var invalid = snapshot.Invalid.Select(i => i.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        // A pass over a batch only knows the targets of its batch: it forgets nothing of the others.
        foreach (var gone in lastForecast.Where(l => InScope(l.Key, l.Value.Namespace, scope) && !listed.Contains(l.Key)).Select(l => l.Key).ToList())
            lastForecast.TryRemove(gone, out _);
        foreach (var gone in publishedRefusal.Where(l => InScope(l.Key, l.Value.Namespace, scope) && !listed.Contains(l.Key)).Select(l => l.Key).ToList())
            publishedRefusal.TryRemove(gone, out _);
        foreach (var fixedOrGone in invalidReported.Where(r => InScope(r.Key, r.Value.Namespace, scope) && !invalid.Contains(r.Key)).Select(r => r.Key).ToList())
            invalidReported.TryRemove(fixedOrGone, out _);
    }

    private static bool InScope(string uid, string ns, TargetScope scope) =>
        scope.Includes(new TargetMetadata { Namespace = ns, Name = string.Empty, Uid = uid });
}
