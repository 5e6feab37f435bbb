using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary><c>spec.vertical</c>: scaling container CPU and memory requests (and limits).</summary>
public sealed record VerticalSpec
{
    /// <summary>Required. What the app does for this direction.</summary>
    [JsonPropertyName("mode")]
    public TargetMode? Mode { get; init; }

    /// <summary>Overrides <c>spec.model</c> field by field for vertical forecasts.</summary>
    [JsonPropertyName("model")]
    public ModelSpec? Model { get; init; }

    /// <summary>Bounds and limit policy per container; <c>*</c> matches every container without its own entry.</summary>
    [JsonPropertyName("containers")]
    public IReadOnlyList<ContainerPolicy>? Containers { get; init; }

    [JsonPropertyName("update_policy")]
    public UpdatePolicy? UpdatePolicy { get; init; }

    [JsonPropertyName("disruption")]
    public DisruptionPolicy? Disruption { get; init; }

    [JsonPropertyName("oom_remediation")]
    public OomRemediation? OomRemediation { get; init; }

    [JsonPropertyName("scaling_behavior")]
    public ScalingBehavior<ResourceAmounts>? ScalingBehavior { get; init; }

    /// <summary>The policy for a container: its own entry, else the <c>*</c> entry, else none.</summary>
    public ContainerPolicy? PolicyFor(string containerName) =>
        Containers?.FirstOrDefault(c => c.Name == containerName)
        ?? Containers?.FirstOrDefault(c => c.Name == ContainerPolicy.AnyContainer);

    /// <summary>The update mode in effect.</summary>
    [JsonIgnore]
    public UpdateMode EffectiveUpdateMode => UpdatePolicy?.UpdateMode ?? TargetDefaults.UpdateMode;
}

/// <summary>One entry of <c>spec.vertical.containers</c>.</summary>
public sealed record ContainerPolicy
{
    /// <summary>The name that matches every container without an entry of its own.</summary>
    public const string AnyContainer = "*";

    /// <summary>Required. A container name, or <c>*</c>.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("cpu")]
    public ResourcePolicy? Cpu { get; init; }

    [JsonPropertyName("memory")]
    public ResourcePolicy? Memory { get; init; }
}

/// <summary>Bounds for one resource of a container: suggestions are clamped to them.</summary>
public sealed record ResourcePolicy
{
    /// <summary>The smallest request ever suggested.</summary>
    [JsonPropertyName("lowerbound")]
    public Quantity? Lowerbound { get; init; }

    /// <summary>The largest request ever suggested.</summary>
    [JsonPropertyName("upperbound")]
    public Quantity? Upperbound { get; init; }

    /// <summary>How the limit follows the request; when absent, limits are left alone.</summary>
    [JsonPropertyName("limit")]
    public LimitPolicy? Limit { get; init; }
}

/// <summary>How a container's limit follows its suggested request.</summary>
public sealed record LimitPolicy
{
    /// <summary>The limit is the request times this ratio (at least 1).</summary>
    [JsonPropertyName("ratio")]
    public double? Ratio { get; init; }
}

/// <summary><c>spec.vertical.update_policy</c>.</summary>
public sealed record UpdatePolicy
{
    [JsonPropertyName("update_mode")]
    public UpdateMode? UpdateMode { get; init; }
}

/// <summary><c>spec.vertical.disruption</c>: how many pods may be evicted, and how often.</summary>
public sealed record DisruptionPolicy
{
    /// <summary>At most this many pods are evicted per <see cref="Interval"/>. Default 1.</summary>
    [JsonPropertyName("max_disrupted")]
    public int? MaxDisrupted { get; init; }

    /// <summary>The window <see cref="MaxDisrupted"/> counts over. Default 5m.</summary>
    [JsonPropertyName("interval")]
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? Interval { get; init; }
}

/// <summary><c>spec.vertical.oom_remediation</c>: raising memory after an OOM kill.</summary>
public sealed record OomRemediation
{
    /// <summary>Default true.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    /// <summary>How long the raised memory stays a floor. Default 1h.</summary>
    [JsonPropertyName("stabilization_window")]
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? StabilizationWindow { get; init; }
}
