namespace Thoras.Domain.Targets;

/// <summary>The value of every optional AIScaleTarget field that is not set. The CRD states the same defaults.</summary>
public static class TargetDefaults
{
    /// <summary><c>model.mode</c>: <c>balanced</c>.</summary>
    public const ModelMode ModelMode = Targets.ModelMode.Balanced;

    /// <summary><c>model.forecast_blocks</c>: each forecast predicts the peak of the next 15 minutes.</summary>
    public static readonly TimeSpan ForecastBlocks = TimeSpan.FromMinutes(15);

    /// <summary><c>model.forecast_interval</c>: a new forecast at most every 5 minutes.</summary>
    public static readonly TimeSpan ForecastInterval = TimeSpan.FromMinutes(5);

    /// <summary><c>model.min_lookback_to_scale</c>: 24 hours of history before any suggestion is applied.</summary>
    public static readonly TimeSpan MinLookbackToScale = TimeSpan.FromHours(24);

    /// <summary><c>model.forecast_buffer_percentage</c>: no headroom on top of the calibrated forecast.</summary>
    public const double ForecastBufferPercentage = 0;

    /// <summary><c>vertical.update_policy.update_mode</c>: resize running pods in place, never recreate them.</summary>
    public const UpdateMode UpdateMode = Targets.UpdateMode.InPlace;

    /// <summary><c>vertical.disruption.max_disrupted</c>: at most one pod evicted per interval.</summary>
    public const int MaxDisrupted = 1;

    /// <summary><c>vertical.disruption.interval</c>: 5 minutes.</summary>
    public static readonly TimeSpan DisruptionInterval = TimeSpan.FromMinutes(5);

    /// <summary><c>vertical.oom_remediation.enabled</c>: an OOM kill raises the memory suggestion.</summary>
    public const bool OomRemediationEnabled = true;

    /// <summary><c>vertical.oom_remediation.stabilization_window</c>: the raised memory stays a floor for 1 hour.</summary>
    public static readonly TimeSpan OomStabilizationWindow = TimeSpan.FromHours(1);

    /// <summary><c>scaling_behavior.scale_up</c>: a needed raise is at least 10 % of the value in force.</summary>
    public const double ScaleUpPercent = 10;

    /// <summary>
    /// <c>scaling_behavior.scale_down</c>: a lowering under 7 % of the value in force is not worth a change (at 10 % only 93 %
    /// of the backtest's series met a 2 % risk target within ±0.5 points; docs/forecasting.md has the figures).
    /// </summary>
    public const double ScaleDownPercent = 7;

    /// <summary><c>scaling_behavior.max_changes_per_day</c>: each forecast series changes at most about 48 times a day.</summary>
    public const int MaxChangesPerDay = 48;

    /// <summary><c>horizontal.multipleOf</c>: replicas are not rounded.</summary>
    public const int MultipleOf = 1;

    /// <summary><c>scaleTargetRef.apiVersion</c>: <c>apps/v1</c>.</summary>
    public const string ScaleTargetApiVersion = "apps/v1";
}
