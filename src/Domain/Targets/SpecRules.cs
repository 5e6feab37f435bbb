namespace Thoras.Domain.Targets;

/// <summary>
/// The messages of the rules the CRD checks with CEL (<c>x-kubernetes-validations</c>). The CRD carries the very
/// same text, so a user sees one message whether the API server or the app refused the spec; a test holds the two
/// together.
/// </summary>
public static class SpecRules
{
    public const string ExactlyOneWorkload = "exactly one of scaleTargetRef or selector must be set";

    public const string AtLeastOneDirection = "at least one of vertical or horizontal must be set";

    public const string HorizontalNeedsScaleTargetRef =
        "horizontal is not allowed with selector: horizontal scaling needs a scaleTargetRef to a Deployment or StatefulSet";

    public const string OneAutonomousDirection =
        "only one direction may be autonomous: vertical.mode and horizontal.mode are both autonomous";

    public const string VerticalPercentileNeedsValue =
        "vertical: model mode percentile needs percentile_value (set it in vertical.model or model)";

    public const string HorizontalPercentileNeedsValue =
        "horizontal: model mode percentile needs percentile_value (set it in horizontal.model or model)";

    public const string VerticalIntervalWithinBlocks =
        "vertical: forecast_interval must not be longer than forecast_blocks (defaults 5m and 15m; vertical.model overrides model)";

    public const string HorizontalIntervalWithinBlocks =
        "horizontal: forecast_interval must not be longer than forecast_blocks (defaults 5m and 15m; horizontal.model overrides model)";

    public const string SelectorNotEmpty = "selector must not be empty: it would select every pod in the namespace";

    public const string SelectorRequirementValues =
        "values must be set for the operators In and NotIn, and left out for Exists and DoesNotExist";

    public const string ForecastBlocksPositive = "forecast_blocks must be longer than 0s";

    public const string ForecastIntervalPositive = "forecast_interval must be longer than 0s";

    public const string LowerboundNotAboveUpperbound = "lowerbound must not be greater than upperbound";

    public const string MinReplicasNotAboveMax = "minReplicas must not be greater than maxReplicas";

    public const string DisruptionIntervalPositive = "interval must be longer than 0s";

    public const string PercentNeedsPercent = "type percent needs percent (and no absolute)";

    public const string AbsoluteNeedsAbsolute = "type absolute needs absolute (and no percent)";

    public const string AbsoluteNeedsAResource = "absolute needs cpu, memory or both";

    /// <summary>The rule for a direction's percentile.</summary>
    public static string PercentileNeedsValue(ScalingDirection direction) =>
        direction == ScalingDirection.Vertical ? VerticalPercentileNeedsValue : HorizontalPercentileNeedsValue;

    /// <summary>The rule for a direction's forecast interval.</summary>
    public static string IntervalWithinBlocks(ScalingDirection direction) =>
        direction == ScalingDirection.Vertical ? VerticalIntervalWithinBlocks : HorizontalIntervalWithinBlocks;
}
