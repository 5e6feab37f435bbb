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
/// to be applied and why not. Observation publishes nothing. One target failing never stops the others.
/// </summary>
public sealed class ForecastStage(
    ITargetCluster cluster,
    IUsageStore usage,
    IModelStore models,
    ISuggestionHistory history,
    SuggestionGate gate,
    ForecastOptions options,
    TimeProvider time)
{
    /// <summary>Forecasts every target that is due.</summary>
    public async Task<ForecastPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var listing = await cluster.ListAsync([], cancellationToken);
        var results = new List<ForecastedTarget>();
        var decision = new Lazy<Task<GateDecision>>(() => gate.DecideAsync(cancellationToken));
        foreach (var target in listing.Targets.Where(t => !t.Metadata.IsDeleting))
        {
            try
            {
                results.Add(await ForecastAsync(target, now, decision, cancellationToken));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                results.Add(new ForecastedTarget(target.Key, ForecastOutcome.Failed, ex.Message, [], null));
            }
        }

        return new ForecastPass(now, results);
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

    private async Task<ForecastedTarget> ForecastAsync(AIScaleTarget target, DateTimeOffset now, Lazy<Task<GateDecision>> decision, CancellationToken cancellationToken)
    {
        var spec = target.Spec;
        var directions = spec.Directions;
        var interval = directions.Select(d => spec.ModelFor(d).ForecastInterval).DefaultIfEmpty(TargetDefaults.ForecastInterval).Min();
        if (target.Status.LatestSuggestion is { } last && now < last.Start + interval)
        {
            return new ForecastedTarget(target.Key, ForecastOutcome.NotDue, $"the last suggestion is younger than forecast_interval ({interval})", [], null);
        }

        var resolved = await cluster.ResolveAsync(target, cancellationToken);
        if (resolved is null)
        {
            return new ForecastedTarget(target.Key, ForecastOutcome.Failed, "its workload does not exist", [], null);
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

        if (published.Count == 0)
        {
            return new ForecastedTarget(target.Key, ForecastOutcome.Observed, "observation mode: forecast, nothing published", series, null);
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
        var (expected, reason) = await ExpectationAsync(spec, resolved, suggestion, horizontalProblem, decision);
        await cluster.UpdateStatusAsync(target.Key, target.Metadata.Uid, status => status with { LatestSuggestion = suggestion }, cancellationToken);
        var record = new SuggestionRecord(now, suggestion, expected, reason);
        await history.AppendAsync(target.Metadata.Uid, record, cancellationToken);
        return new ForecastedTarget(target.Key, ForecastOutcome.Published, reason, series, record);
    }

    private static async Task<(bool Expected, string Reason)> ExpectationAsync(
        TargetSpec spec, ResolvedTarget resolved, Suggestion suggestion, string? horizontalProblem, Lazy<Task<GateDecision>> decision)
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

        var gate = await decision.Value;
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
public sealed record ForecastedTarget(TargetKey Key, ForecastOutcome Outcome, string Detail, IReadOnlyList<SeriesForecast> Series, SuggestionRecord? Published);

/// <summary>One series' forecast: whether the model state was loaded from storage and whether it was retrained.</summary>
public sealed record SeriesForecast(string Series, bool LoadedState, bool Retrained, Forecast Forecast);

/// <summary>The result of forecasting one target.</summary>
public enum ForecastOutcome
{
    /// <summary>A suggestion was published.</summary>
    Published,

    /// <summary>Observation mode: forecast, nothing published.</summary>
    Observed,

    /// <summary>The last suggestion is younger than <c>forecast_interval</c>.</summary>
    NotDue,

    /// <summary>The target could not be forecast; retried next tick.</summary>
    Failed,
}
