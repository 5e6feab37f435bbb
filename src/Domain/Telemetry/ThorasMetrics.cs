using System.Diagnostics.Metrics;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Telemetry;

/// <summary>
/// Every metric the app records, on <see cref="ThorasTelemetry.Meter"/>, with the names and labels listed in
/// docs/observability.md. Counters and histograms are recorded where things happen; gauges report the latest value
/// set here and drop a label set that was not set again within <see cref="GaugeMaxAge"/>.
/// </summary>
public static class ThorasMetrics
{
    /// <summary>How long a gauge value is reported without being set again.</summary>
    public static readonly TimeSpan GaugeMaxAge = TimeSpan.FromMinutes(15);

    private static readonly Meter Meter = ThorasTelemetry.Meter;

    private static readonly Counter<long> VerticalScale = Meter.CreateCounter<long>(
        "thoras_vertical_scale_total", "{pod}", "Pods whose requests the app changed: resized in place, evicted to be recreated, or restarted to revert.");

    private static readonly Counter<long> HorizontalScale = Meter.CreateCounter<long>(
        "thoras_horizontal_scale_total", "{change}", "Changes the app made to an HPA's minReplicas: a predictive floor set, or the original restored.");

    private static readonly Counter<long> OomKills = Meter.CreateCounter<long>(
        "thoras_workload_oom_killed_total", "{kill}", "Container OOM kills seen on the pods of a target.");

    private static readonly Counter<long> HeldBack = Meter.CreateCounter<long>(
        "thoras_suggestions_held_back_total", "{suggestion}", "Published suggestions that are not applied, by why not.");

    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>(
        "thoras_stage_duration_seconds", "s", "How long one run of a timer (or queue) function took.");

    private static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>(
        "thoras_step_duration_seconds", "s", "How long one named step of a stage took.");

    private static readonly Counter<long> KubernetesRequests = Meter.CreateCounter<long>(
        "thoras_kubernetes_requests_total", "{request}", "Requests to the Kubernetes API server, by verb, resource and status code.");

    private static readonly Counter<long> StorageRequests = Meter.CreateCounter<long>(
        "thoras_storage_requests_total", "{request}", "Requests to Azure Storage, by service, operation and status code.");

    private static readonly Counter<long> Events = Meter.CreateCounter<long>(
        "thoras_kubernetes_events_total", "{event}", "Kubernetes Events the app recorded, by reason and what became of them.");

    private static readonly GaugeBoard Targets = new(GaugeMaxAge);
    private static readonly GaugeBoard Provisioning = new(GaugeMaxAge);
    private static readonly GaugeBoard Coverage = new(GaugeMaxAge);
    private static readonly GaugeBoard Paused = new(GaugeMaxAge);
    private static readonly GaugeBoard Holders = new(GaugeMaxAge);

    static ThorasMetrics()
    {
        Meter.CreateObservableGauge("thoras_scale_targets", Targets.Observe, "{target}", "Enrolled targets with a valid spec, by direction and mode.");
        Meter.CreateObservableGauge("thoras_provisioning_ratio", Provisioning.Observe, "1", "Requests over usage of a target's measured pods: above 1 is headroom, below 1 is under-provisioned.");
        Meter.CreateObservableGauge("thoras_calibration_coverage", Coverage.Observe, "1", "The share of recent forecast blocks whose peak usage stayed within the calibrated suggestion.");
        Meter.CreateObservableGauge("thoras_scaling_paused", Paused.Observe, "1", "1 while the apply gate holds every suggestion back (a pause holder, the app setting, the ConfigMap, or pause state that cannot be read), else 0.");
        Meter.CreateObservableGauge("thoras_pause_holders", Holders.Observe, "{holder}", "1 for each pause holder present: manual, configmap, app-setting, window:<id>.");
    }

    /// <summary>Pods of <paramref name="target"/> changed vertically: <c>resize</c>, <c>evict</c> or <c>restart</c> (a revert).</summary>
    public static void VerticalScaled(TargetKey target, string action, int pods = 1) =>
        VerticalScale.Add(pods, Namespace(target), Target(target), new("action", action));

    /// <summary>The HPA floor of <paramref name="target"/> changed: <c>floor_set</c> or <c>floor_restored</c>.</summary>
    public static void HorizontalScaled(TargetKey target, string action) =>
        HorizontalScale.Add(1, Namespace(target), Target(target), new("action", action));

    /// <summary>New OOM kills of a container of <paramref name="target"/>.</summary>
    public static void OomKilled(TargetKey target, string container, int kills = 1) =>
        OomKills.Add(kills, Namespace(target), Target(target), new("container", container));

    /// <summary>A suggestion of <paramref name="target"/> published but not applied, for a reason from a small fixed set.</summary>
    public static void SuggestionHeldBack(TargetKey target, ScalingDirection? direction, string reason) =>
        HeldBack.Add(1, Namespace(target), Target(target), new("direction", direction?.ToWireName() ?? "none"), new("reason", reason));

    /// <summary>One run of a stage (<c>collect</c>, <c>forecast</c>, <c>apply</c>, <c>sync</c>, <c>housekeeping</c>...).</summary>
    public static void StageRan(string stage, TimeSpan elapsed, bool succeeded) =>
        StageDuration.Record(elapsed.TotalSeconds, new("stage", stage), Outcome(succeeded));

    /// <summary>One named step of a stage.</summary>
    public static void StepRan(string stage, string step, TimeSpan elapsed, bool succeeded) =>
        StepDuration.Record(elapsed.TotalSeconds, new("stage", stage), new("step", step), Outcome(succeeded));

    /// <summary>One Kubernetes API request; <paramref name="code"/> is the HTTP status, or <c>error</c> when none came back.</summary>
    public static void KubernetesRequest(string verb, string resource, string code) =>
        KubernetesRequests.Add(1, new("verb", verb), new("resource", resource), new("code", code));

    /// <summary>One Azure Storage request; <paramref name="code"/> is the HTTP status, or <c>error</c> when none came back.</summary>
    public static void StorageRequest(string service, string operation, string code) =>
        StorageRequests.Add(1, new("service", service), new("operation", operation), new("code", code));

    /// <summary>
    /// One Kubernetes Event: <c>created</c>, <c>updated</c> (its series count written), <c>aggregated</c> (counted, written
    /// later), <c>rate_limited</c>, <c>expired</c> (gone from the API server) or <c>failed</c>.
    /// </summary>
    public static void EventRecorded(string reason, string outcome) =>
        Events.Add(1, new("reason", reason), new("outcome", outcome));

    /// <summary>The enrolled targets of one full listing, counted by direction and mode (every combination, zeros too).</summary>
    public static void ReportTargets(IEnumerable<AIScaleTarget> targets)
    {
        var counts = new Dictionary<(ScalingDirection, TargetMode), int>();
        foreach (var target in targets)
        {
            foreach (var direction in Enum.GetValues<ScalingDirection>())
            {
                if (target.Spec.ModeOf(direction) is { } mode)
                    counts[(direction, mode)] = counts.GetValueOrDefault((direction, mode)) + 1;
            }
        }

        Targets.ReplaceAll(
            from direction in Enum.GetValues<ScalingDirection>()
            from mode in Enum.GetValues<TargetMode>()
            select ((double)counts.GetValueOrDefault((direction, mode)), new KeyValuePair<string, object?>[] { new("direction", direction.ToWireName()), new("mode", mode.ToWireName()) }));
    }

    /// <summary>Requests over usage of one resource (<c>cpu</c> or <c>memory</c>) of <paramref name="target"/>.</summary>
    public static void ReportProvisioning(TargetKey target, string resource, double ratio) =>
        Provisioning.Set(ratio, Namespace(target), Target(target), new("resource", resource));

    /// <summary>The calibration coverage of one usage series of <paramref name="target"/>.</summary>
    public static void ReportCoverage(TargetKey target, string series, double coverage) =>
        Coverage.Set(coverage, Namespace(target), Target(target), new("series", series));

    /// <summary>
    /// Whether the apply gate lets suggestions through, and the holders in the pause state (null when the state
    /// could not be read: the holders last reported stay).
    /// </summary>
    public static void ReportPause(bool paused, IEnumerable<string>? holders)
    {
        Paused.Set(paused ? 1 : 0);
        if (holders is not null)
            Holders.ReplaceAll(holders.Select(h => (1.0, new KeyValuePair<string, object?>[] { new("holder", h) })));
    }

    private static KeyValuePair<string, object?> Namespace(TargetKey target) => new("namespace", target.Namespace);

    private static KeyValuePair<string, object?> Target(TargetKey target) => new("target", target.Name);

    private static KeyValuePair<string, object?> Outcome(bool succeeded) => new("outcome", succeeded ? "success" : "failure");
}
