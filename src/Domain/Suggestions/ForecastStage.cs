using System.Collections.Concurrent;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Pause;
using Thoras.Domain.Targets;
using ForecastMode = Thoras.Domain.Forecasting.ModelMode;
using SpecMode = Thoras.Domain.Targets.ModelMode;

namespace Thoras.Domain.Suggestions;

/// <summary>
/// The forecast stage (DESIGN.md §3, §7): for every valid target not being deleted, in every mode and also while
/// paused, at most once per <c>forecast_interval</c>: forecast each series (the model state loaded from
/// <see cref="IModelStore"/>, else rebuilt from the stored usage; retrained only on the forecaster's cadence), build
/// the suggestion, and publish it to <c>status.latestSuggestion</c> and the history, saying whether it is expected
/// to be applied and why not. Observation publishes no suggestion. Targets run with bounded parallelism and a time
/// budget each, so one slow or failing target never holds up the others; the outcome is the target's <c>Ready</c>
/// condition.
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
    ForecastOptions options,
    TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> lastForecast = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> invalidReported = new(StringComparer.Ordinal);

    /// <summary>Forecasts every target that is due; the results are ordered by target.</summary>
    public async Task<ForecastPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var listing = await cluster.ListAsync([], cancellationToken);
        var targets = listing.Targets.Where(t => !t.Metadata.IsDeleting).ToList();
        // The gate is read at most once per pass, and only when a target needs it; the Lazy hands every target the same read.
        var decision = new Lazy<Task<GateDecision>>(() => gate.DecideAsync(cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication);
        var results = new ConcurrentBag<ForecastedTarget>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelTargets), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(targets, parallel, async (target, token) =>
            results.Add(await ForecastWithinBudgetAsync(target, now, decision, token)));
        await Parallel.ForEachAsync(listing.Invalid.Where(i => !i.Metadata.IsDeleting), parallel, async (invalid, token) =>
            results.Add(await ReportInvalidAsync(invalid, now, token)));

        var listed = targets.Select(t => t.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in lastForecast.Keys.Where(uid => !listed.Contains(uid)))
        {
            lastForecast.TryRemove(gone, out _);
        }

        var invalid = listing.Invalid.Select(i => i.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var fixedOrGone in invalidReported.Keys.Where(uid => !invalid.Contains(uid)))
        {
            invalidReported.TryRemove(fixedOrGone, out _);
        }

        return new ForecastPass(now, [.. results.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal)]);
    }

    /// <summary>The forecaster settings of one direction of a target.</summary>
    public ForecastSettings SettingsFor(TargetSpec spec, ScalingDirection direction)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var model = spec.ModelFor(direction);
        return new ForecastSettings
        {
            RiskTarget = RiskTarget.For(ToForecastMode(model.Mode), model.PercentileValue),
            ForecastHorizon = model.ForecastBlocks,
            ForecastInterval = model.ForecastInterval,
            BufferPercentage = model.ForecastBufferPercentage,
            MinLookback = model.MinLookbackToScale,
            RetrainEvery = options.RetrainEvery,
            TrainingWindow = options.TrainingWindow,
        };
    }

    private async Task<ForecastedTarget> ForecastWithinBudgetAsync(AIScaleTarget target, DateTimeOffset now, Lazy<Task<GateDecision>> decision, CancellationToken cancellationToken)
    {
        ForecastedTarget result;
        using (var budget = new CancellationTokenSource(options.TargetTimeBudget, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token))
        {
            try
            {
                result = await ForecastAsync(target, now, decision, linked.Token);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var error = budget.IsCancellationRequested
                    ? $"it took longer than its time budget of {options.TargetTimeBudget.TotalSeconds:0.#} s"
                    : ex.Message;
                var failed = TargetConditions.ForecastFailed(error, time.GetUtcNow(), target.Metadata.Generation);
                result = new ForecastedTarget(target.Key, ForecastOutcome.Failed, error, [], null, failed);
            }
        }

        if (result is { Outcome: ForecastOutcome.Failed, Ready: { } condition })
        {
            // The failure is worth a condition, but writing it must not hang the pass: it gets a budget of its own.
            await cluster.TryUpdateStatusAsync(target.Key, target.Metadata.Uid, s => s.WithCondition(condition), options.TargetTimeBudget, time, cancellationToken);
        }
        else if (result.Outcome != ForecastOutcome.NotDue)
        {
            lastForecast[target.Metadata.Uid] = now;
        }

        return result;
    }

    private async Task<ForecastedTarget> ForecastAsync(AIScaleTarget target, DateTimeOffset now, Lazy<Task<GateDecision>> decision, CancellationToken cancellationToken)
    {
        var spec = target.Spec;
        var directions = spec.Directions;
        var interval = directions.Select(d => spec.ModelFor(d).ForecastInterval).DefaultIfEmpty(TargetDefaults.ForecastInterval).Min();
        // Observation targets publish no suggestion, so the last forecast remembered here counts as well.
        DateTimeOffset? remembered = lastForecast.TryGetValue(target.Metadata.Uid, out var at) ? at : null;
        var last = new[] { target.Status.LatestSuggestion?.Start, remembered }.Max();
        if (last is { } since && now < since + interval)
        {
            return new ForecastedTarget(target.Key, ForecastOutcome.NotDue, $"the last forecast is younger than forecast_interval ({interval})", [], null);
        }

        var resolved = await cluster.ResolveAsync(target, cancellationToken);
        if (resolved is null)
        {
            var missing = spec.ScaleTargetRef is { } reference
                ? TargetConditions.WorkloadNotFound(reference, target.Metadata.Namespace, now, target.Metadata.Generation)
                : TargetConditions.ForecastFailed("its workload does not exist", now, target.Metadata.Generation);
            return new ForecastedTarget(target.Key, ForecastOutcome.Failed, "its workload does not exist", [], null, missing);
        }

        var series = new List<SeriesForecast>();
        var enough = true;
        var published = directions.Where(d => spec.ModeOf(d) is { } mode && mode.PublishesSuggestions()).ToList();
        IReadOnlyList<ResourceRecommendation>? recommendations = null;
        int? replicas = null;
        string? horizontalProblem = null;

        if (spec.Vertical is { } vertical)
        {
            var settings = SettingsFor(spec, ScalingDirection.Vertical);
            var containers = resolved.Workload?.Containers ?? (resolved.Pods.Count > 0 ? resolved.Pods[0].Containers : null) ?? [];
            var built = new List<ResourceRecommendation>();
            foreach (var container in containers)
            {
                var cpu = await ForecastSeriesAsync(target.Metadata.Uid, UsageSeries.Container(container.Name, UsageSeries.Cpu), settings, now, series, cancellationToken);
                var memory = await ForecastSeriesAsync(target.Metadata.Uid, UsageSeries.Container(container.Name, UsageSeries.Memory), settings, now, series, cancellationToken);
                if (published.Contains(ScalingDirection.Vertical))
                {
                    enough &= cpu.HasEnoughDataToScale && memory.HasEnoughDataToScale;
                }

                built.Add(SuggestionBuilder.Vertical(vertical, container, cpu.Suggestion, memory.Suggestion));
            }

            recommendations = built;
        }

        if (spec.Horizontal is { } horizontal)
        {
            var settings = SettingsFor(spec, ScalingDirection.Horizontal);
            var total = await ForecastSeriesAsync(target.Metadata.Uid, UsageSeries.Total(UsageSeries.Cpu), settings, now, series, cancellationToken);
            var perPod = (double)(resolved.Workload?.Containers.Sum(c => c.Requests.Cpu?.Amount ?? 0) ?? 0);
            if (published.Contains(ScalingDirection.Horizontal))
            {
                enough &= total.HasEnoughDataToScale;
            }

            if (perPod <= 0)
            {
                horizontalProblem = "the workload's containers request no CPU, so replicas cannot be derived";
            }
            else if (total.Suggestion is { } totalCpu)
            {
                var hpa = resolved.SingleAutoscaler;
                replicas = SuggestionBuilder.Replicas(horizontal, totalCpu, perPod, hpa?.TargetCpuUtilization ?? options.DefaultTargetUtilization, hpa?.MaxReplicas);
            }
        }

        var ready = TargetConditions.Ready(resolved.Describe(), now, target.Metadata.Generation);
        if (published.Count == 0)
        {
            await cluster.UpdateStatusAsync(target.Key, target.Metadata.Uid, status => status.WithCondition(ready), cancellationToken);
            return new ForecastedTarget(target.Key, ForecastOutcome.Observed, "observation mode: forecast, nothing published", series, null, ready);
        }

        var horizon = published.Select(d => spec.ModelFor(d).ForecastBlocks).Min();
        var suggestion = new Suggestion
        {
            SuggestionUID = Guid.NewGuid().ToString(),
            Start = now,
            End = now + horizon,
            HasEnoughDataToScale = enough,
            SuggestedReplicas = enough && published.Contains(ScalingDirection.Horizontal) ? replicas : null,
            ResourceRecommendations = enough && published.Contains(ScalingDirection.Vertical) ? recommendations : null,
        };
        var (expected, reason) = await ExpectationAsync(spec, resolved, suggestion, horizontalProblem, decision, cancellationToken);
        await cluster.UpdateStatusAsync(target.Key, target.Metadata.Uid, status => (status with { LatestSuggestion = suggestion }).WithCondition(ready), cancellationToken);
        var record = new SuggestionRecord(now, suggestion, expected, reason);
        await history.AppendAsync(target.Metadata.Uid, record, cancellationToken);
        return new ForecastedTarget(target.Key, ForecastOutcome.Published, reason, series, record, ready);
    }

    private static async Task<(bool Expected, string Reason)> ExpectationAsync(
        TargetSpec spec, ResolvedTarget resolved, Suggestion suggestion, string? horizontalProblem, Lazy<Task<GateDecision>> decision, CancellationToken cancellationToken)
    {
        if (spec.AutonomousDirection is not { } autonomous)
        {
            return (false, "recommendation mode: suggestions are published, never applied");
        }

        if (!suggestion.HasEnoughDataToScale)
        {
            return (false, "not enough data: less usage history than min_lookback_to_scale");
        }

        if (autonomous == ScalingDirection.Horizontal && resolved.SingleAutoscaler is null)
        {
            return (false, $"no single HPA: the workload has {resolved.Autoscalers.Count}, horizontal scaling needs exactly one");
        }

        if (autonomous == ScalingDirection.Horizontal && horizontalProblem is not null)
        {
            return (false, horizontalProblem);
        }

        // The read is shared, so it runs under the pass's token; each target waits for it only within its own budget.
        var gate = await decision.Value.WaitAsync(cancellationToken);
        return gate.MayApply ? (true, "autonomous and not paused") : (false, gate.Reason);
    }

    private async Task<Forecast> ForecastSeriesAsync(
        string uid, string series, ForecastSettings settings, DateTimeOffset now, List<SeriesForecast> outcomes, CancellationToken cancellationToken)
    {
        var stored = await usage.ListAsync(uid, series, now - settings.TrainingWindow, cancellationToken);
        var blocks = UsageSeries.CompleteAndContiguous(stored, settings.Block, now);
        if (blocks.Count == 0)
        {
            outcomes.Add(new SeriesForecast(series, false, false, Forecast.NotEnoughData(now)));
            return Forecast.NotEnoughData(now);
        }

        var forecaster = await LoadAsync(uid, series, settings, blocks, cancellationToken);
        var loaded = forecaster is not null;
        if (forecaster is null)
        {
            forecaster = new UsageForecaster(settings);
            foreach (var block in blocks)
            {
                forecaster.Observe(block);
            }
        }

        var trainedBefore = forecaster.Predictor.TrainedAt;
        var forecast = forecaster.Suggest();
        var retrained = forecaster.Predictor.TrainedAt != trainedBefore;
        if (retrained)
        {
            using var state = new MemoryStream();
            forecaster.SaveState(state);
            state.Position = 0;
            await models.SaveAsync(uid, series, state, cancellationToken);
        }

        outcomes.Add(new SeriesForecast(series, loaded, retrained, forecast));
        return forecast;
    }

    private async Task<UsageForecaster?> LoadAsync(string uid, string series, ForecastSettings settings, IReadOnlyList<UsageBlock> blocks, CancellationToken cancellationToken)
    {
        var stream = await models.LoadAsync(uid, series, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        await using (stream)
        {
            try
            {
                return UsageForecaster.LoadState(stream, settings, blocks);
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or ArgumentException or InvalidOperationException)
            {
                // A state from another version or settings: rebuilding from the stored usage is always possible.
                return null;
            }
        }
    }

    /// <summary>
    /// An invalid target is neither forecast nor scaled; it gets <c>Ready=False</c> and <c>Scaling=False</c>, reason
    /// <c>InvalidSpec</c>, listing every problem. Written once per spec (generation and problems), retried while it fails.
    /// </summary>
    private async Task<ForecastedTarget> ReportInvalidAsync(InvalidTarget invalid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var detail = "invalid spec: " + string.Join("; ", invalid.Problems);
        var ready = TargetConditions.InvalidSpec(invalid.Problems, now, invalid.Metadata.Generation);
        var signature = $"{invalid.Metadata.Generation}|{detail}";
        if (invalidReported.TryGetValue(invalid.Metadata.Uid, out var reported) && reported == signature)
        {
            return new ForecastedTarget(invalid.Key, ForecastOutcome.Invalid, detail, [], null, ready);
        }

        // Remembered only once written, so a failed write is tried again next tick.
        var written = await cluster.TryUpdateStatusAsync(invalid.Key, invalid.Metadata.Uid,
            s => s.WithCondition(ready).WithCondition(TargetConditions.NotScalingInvalidSpec(now, invalid.Metadata.Generation)), options.TargetTimeBudget, time, cancellationToken);
        if (written)
        {
            invalidReported[invalid.Metadata.Uid] = signature;
        }

        return new ForecastedTarget(invalid.Key, ForecastOutcome.Invalid, detail, [], null, ready);
    }

    private static ForecastMode ToForecastMode(SpecMode mode) => mode switch
    {
        SpecMode.Balanced => ForecastMode.Balanced,
        SpecMode.CostOptimized => ForecastMode.CostOptimized,
        SpecMode.AssuranceOptimized => ForecastMode.AssuranceOptimized,
        SpecMode.Percentile => ForecastMode.Percentile,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown model mode."),
    };
}

/// <summary>What one forecast tick did.</summary>
public sealed record ForecastPass(DateTimeOffset At, IReadOnlyList<ForecastedTarget> Targets)
{
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
    TargetKey Key, ForecastOutcome Outcome, string Detail, IReadOnlyList<SeriesForecast> Series, SuggestionRecord? Published, TargetCondition? Ready = null);

/// <summary>One series' forecast: whether the model state was loaded from storage and whether it was retrained.</summary>
public sealed record SeriesForecast(string Series, bool LoadedState, bool Retrained, Forecast Forecast);

/// <summary>The result of forecasting one target.</summary>
public enum ForecastOutcome
{
    /// <summary>A suggestion was published.</summary>
    Published,

    /// <summary>Observation mode: forecast, nothing published.</summary>
    Observed,

    /// <summary>The target was forecast less than <c>forecast_interval</c> ago.</summary>
    NotDue,

    /// <summary>The target could not be forecast (an error, its time budget ran out, or its workload is missing); retried next tick.</summary>
    Failed,

    /// <summary>The target's spec is invalid: it is reported (<c>Ready=False, InvalidSpec</c>) and not forecast.</summary>
    Invalid,
}
