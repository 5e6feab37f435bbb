using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary><c>spec.horizontal</c>: a predictive floor on the replica count, applied as the HPA's <c>minReplicas</c>.</summary>
public sealed record HorizontalSpec
{
    /// <summary>Required. What the app does for this direction.</summary>
    [JsonPropertyName("mode")]
    public TargetMode? Mode { get; init; }

    /// <summary>Overrides <c>spec.model</c> field by field for horizontal forecasts.</summary>
    [JsonPropertyName("model")]
    public ModelSpec? Model { get; init; }

    /// <summary>The smallest replica count suggested.</summary>
    [JsonPropertyName("minReplicas")]
    public int? MinReplicas { get; init; }

    /// <summary>The largest replica count suggested.</summary>
    [JsonPropertyName("maxReplicas")]
    public int? MaxReplicas { get; init; }

    /// <summary>Suggested replica counts are rounded up to a multiple of this. Default 1.</summary>
    [JsonPropertyName("multipleOf")]
    public int? MultipleOf { get; init; }

    /// <summary>An absolute <c>scale_up</c>/<c>scale_down</c> is a number of replicas.</summary>
    [JsonPropertyName("scaling_behavior")]
    public ScalingBehavior<int?>? ScalingBehavior { get; init; }
}
