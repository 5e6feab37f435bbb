using Thoras.Domain.Forecasting;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Recommendation;

/// <summary>One usage series a target's recommendation reads, with the forecaster settings of its direction.</summary>
/// <param name="Series">The series' name, such as <c>container:app:cpu</c>.</param>
/// <param name="Direction">The direction it is forecast for.</param>
/// <param name="Settings">The forecaster settings of that direction.</param>
public sealed record SeriesRequest(string Series, ScalingDirection Direction, ForecastSettings Settings);

/// <summary>What the recommender is given for one target: what it scales, and the stored usage and saved model state of each series it asked for.</summary>
/// <param name="Resolved">The target with its workload (and, for a horizontal target, its HPAs).</param>
/// <param name="Usage">Series → its stored blocks within the training window, oldest first.</param>
/// <param name="SavedStates">Series → its saved forecaster state; absent when none is stored.</param>
/// <param name="Now">The moment of the forecast.</param>
public sealed record RecommendationInput(
    ResolvedTarget Resolved,
    IReadOnlyDictionary<string, IReadOnlyList<UsageBlock>> Usage,
    IReadOnlyDictionary<string, byte[]> SavedStates,
    DateTimeOffset Now);

/// <summary>What the recommender made of one target.</summary>
/// <param name="Series">Each series' forecast, in the order of <see cref="TargetRecommender.SeriesFor"/>.</param>
/// <param name="Containers">The vertical suggestion per container; null for a target that is not vertical.</param>
/// <param name="VerticalHasEnoughData">Whether every vertical series has <c>min_lookback_to_scale</c> of history.</param>
/// <param name="Replicas">The horizontal suggestion; null when none could be made.</param>
/// <param name="HorizontalHasEnoughData">Whether the horizontal series has <c>min_lookback_to_scale</c> of history.</param>
/// <param name="ReplicasProblem">Why no replica count can be derived, when that is the workload's fault.</param>
/// <param name="StatesToSave">Series → the forecaster state after this forecast, to be saved (every series with a trained model whose state differs from the one loaded).</param>
public sealed record TargetRecommendation(
    IReadOnlyList<SeriesForecast> Series,
    IReadOnlyList<ResourceRecommendation>? Containers,
    bool VerticalHasEnoughData,
    int? Replicas,
    bool HorizontalHasEnoughData,
    string? ReplicasProblem,
    IReadOnlyDictionary<string, byte[]> StatesToSave);

/// <summary>
/// The forecast stage's one seam to the suggestion math: which usage series a target needs, and, from their stored
/// usage and saved model states, each series' forecast (the model state loaded, else rebuilt from the usage; retrained
/// only on the forecaster's cadence) and the vertical and horizontal suggestions. In-process computation only: the
/// stage does every read and write, so this type can be replaced as a whole.
/// </summary>
public sealed class TargetRecommender(ForecastOptions options)
{
    /// <summary>How far back the usage of every series is read.</summary>
    public TimeSpan UsageWindow => options.TrainingWindow;

    /// <summary>
    /// The forecaster settings of one series of a target (<see cref="ForecastSettings.For"/>: the one place they are
    /// derived). <paramref name="resource"/> picks a vertical absolute <c>scaling_behavior</c> minimum;
    /// <paramref name="coresPerReplica"/> turns a horizontal one from replicas into cores.
    /// </summary>
    public ForecastSettings SettingsFor(TargetSpec spec, ScalingDirection direction, string resource = UsageSeries.Cpu, double coresPerReplica = 0) =>
        ForecastSettings.For(spec, direction, resource, options, coresPerReplica);

    /// <summary>The series a target's recommendation reads: CPU and memory per container (vertical), total CPU (horizontal).</summary>
    public IReadOnlyList<SeriesRequest> SeriesFor(ResolvedTarget resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var spec = resolved.Target.Spec;
        var requests = new List<SeriesRequest>();
        if (spec.Vertical is not null)
        {
            var cpu = SettingsFor(spec, ScalingDirection.Vertical, UsageSeries.Cpu);
            var memory = SettingsFor(spec, ScalingDirection.Vertical, UsageSeries.Memory);
            foreach (var container in ContainersOf(resolved))
            {
                requests.Add(new(UsageSeries.Container(container.Name, UsageSeries.Cpu), ScalingDirection.Vertical, cpu));
                requests.Add(new(UsageSeries.Container(container.Name, UsageSeries.Memory), ScalingDirection.Vertical, memory));
            }
        }

        if (spec.Horizontal is not null)
            requests.Add(new(UsageSeries.Total(UsageSeries.Cpu), ScalingDirection.Horizontal, SettingsFor(spec, ScalingDirection.Horizontal, UsageSeries.Cpu, CoresPerReplica(resolved))));
        return requests;
    }

    /// <summary>Forecasts every series of <paramref name="input"/> and builds the target's suggestions.</summary>
    public TargetRecommendation Recommend(RecommendationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var resolved = input.Resolved;
        var spec = resolved.Target.Spec;
        var series = new List<SeriesForecast>();
        var states = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        Forecast Run(SeriesRequest request)
        {
            var (outcome, state) = ForecastSeries(request, input);
            series.Add(outcome);
            if (state is not null)
                states[request.Series] = state;
            return outcome.Forecast;
        }

        var requests = SeriesFor(resolved);
        IReadOnlyList<ResourceRecommendation>? containers = null;
        var verticalEnough = true;
        if (spec.Vertical is { } vertical)
        {
            var built = new List<ResourceRecommendation>();
            foreach (var container in ContainersOf(resolved))
            {
                var cpu = Run(requests.Single(r => r.Series == UsageSeries.Container(container.Name, UsageSeries.Cpu)));
                var memory = Run(requests.Single(r => r.Series == UsageSeries.Container(container.Name, UsageSeries.Memory)));
                verticalEnough &= cpu.HasEnoughDataToScale && memory.HasEnoughDataToScale;
                built.Add(SuggestionBuilder.Vertical(vertical, container, cpu.Suggestion, memory.Suggestion));
            }

            containers = built;
        }

        int? replicas = null;
        var horizontalEnough = true;
        string? problem = null;
        if (spec.Horizontal is { } horizontal)
        {
            var total = Run(requests.Single(r => r.Direction == ScalingDirection.Horizontal));
            horizontalEnough = total.HasEnoughDataToScale;
            var perPod = PerPodCpu(resolved);
            if (perPod <= 0)
            {
                problem = "the workload's containers request no CPU, so replicas cannot be derived";
            }
            else if (total.Suggestion is { } totalCpu)
            {
                replicas = SuggestionBuilder.Replicas(horizontal, totalCpu, perPod, TargetUtilization(resolved), resolved.SingleAutoscaler?.MaxReplicas);
            }
        }

        return new TargetRecommendation(series, containers, verticalEnough, replicas, horizontalEnough, problem, states);
    }

    private static double PerPodCpu(ResolvedTarget resolved) => (double)(resolved.Workload?.Containers.Sum(c => c.Requests.Cpu?.Amount ?? 0) ?? 0);

    private double TargetUtilization(ResolvedTarget resolved) => resolved.SingleAutoscaler?.TargetCpuUtilization ?? options.DefaultTargetUtilization;

    /// <summary>The CPU one more replica absorbs: per-pod request × the HPA's target utilisation.</summary>
    private double CoresPerReplica(ResolvedTarget resolved) => PerPodCpu(resolved) * TargetUtilization(resolved) / 100;

    private static IReadOnlyList<ContainerResources> ContainersOf(ResolvedTarget resolved) =>
        resolved.Workload?.Containers ?? (resolved.Pods.Count > 0 ? resolved.Pods[0].Containers : null) ?? [];

    private static (SeriesForecast Outcome, byte[]? State) ForecastSeries(SeriesRequest request, RecommendationInput input)
    {
        var settings = request.Settings;
        var stored = input.Usage.TryGetValue(request.Series, out var blocks) ? blocks : [];
        var complete = UsageSeries.CompleteAndContiguous(stored, settings.Block, input.Now);
        if (complete.Count == 0)
            return (new SeriesForecast(request.Series, false, false, Forecast.NotEnoughData(input.Now)), null);

        var forecaster = input.SavedStates.TryGetValue(request.Series, out var saved) ? Load(saved, settings, complete) : null;
        var loaded = forecaster is not null;
        if (forecaster is null)
        {
            forecaster = new UsageForecaster(settings);
            foreach (var block in complete)
                forecaster.Observe(block);
        }

        var trainedBefore = forecaster.Predictor.TrainedAt;
        var forecast = forecaster.Suggest();
        var retrained = forecaster.Predictor.TrainedAt != trainedBefore;
        byte[]? state = null;

        // Saved after every forecast, not only after a retraining: the change policy's memory (the bound in force, the
        // budget, a lowering under way) and the bound the next blocks are scored against move every interval, and
        // the next tick must continue from them exactly as the backtest's uninterrupted replay does.
        if (forecaster.Predictor.Model is not null)
        {
            using var buffer = new MemoryStream();
            forecaster.SaveState(buffer);
            state = buffer.ToArray();

            // A state the same as the one loaded (no new block since it was saved) is not written again.
            if (saved is not null && state.AsSpan().SequenceEqual(saved))
                state = null;
        }

        return (new SeriesForecast(request.Series, loaded, retrained, forecast), state);
    }

    private static UsageForecaster? Load(byte[] state, ForecastSettings settings, IReadOnlyList<UsageBlock> blocks)
    {
        using var stream = new MemoryStream(state, writable: false);
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
