using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>
/// <c>scaling_behavior</c> of a direction: which changes of a suggestion are worth making (the change policy,
/// docs/forecasting.md). <typeparamref name="TAbsolute"/> is what an absolute minimum is written as: per resource
/// (<see cref="ResourceAmounts"/>) for vertical, a replica count for horizontal.
/// </summary>
public sealed record ScalingBehavior<TAbsolute>
{
    /// <summary>Shorthand for a <c>percent</c> minimum of both <see cref="ScaleUp"/> and <see cref="ScaleDown"/> where they are not set (0–100).</summary>
    [JsonPropertyName("threshold_percentage")]
    public double? ThresholdPercentage { get; init; }

    /// <summary>The least raise: a needed raise is rounded up to it. Default 10 %.</summary>
    [JsonPropertyName("scale_up")]
    public ChangeMinimum<TAbsolute>? ScaleUp { get; init; }

    /// <summary>The least lowering worth a change. Default 10 %.</summary>
    [JsonPropertyName("scale_down")]
    public ChangeMinimum<TAbsolute>? ScaleDown { get; init; }

    /// <summary>The change budget: how many changes a day each forecast series may make; lowering waits while it is spent. Default 48.</summary>
    [JsonPropertyName("max_changes_per_day")]
    public int? MaxChangesPerDay { get; init; }
}

/// <summary><c>scale_up</c> or <c>scale_down</c>: a minimum change, as a percentage of the value in force or an absolute amount.</summary>
public sealed record ChangeMinimum<TAbsolute>
{
    /// <summary>Required: <c>percent</c> (set <see cref="Percent"/>) or <c>absolute</c> (set <see cref="Absolute"/>).</summary>
    [JsonPropertyName("type")]
    public ChangeMinimumType? Type { get; init; }

    /// <summary>With <c>type: percent</c>: the share of the value in force, 0–100.</summary>
    [JsonPropertyName("percent")]
    public double? Percent { get; init; }

    /// <summary>With <c>type: absolute</c>: the amount (vertical: per resource; a resource left out gets the default).</summary>
    [JsonPropertyName("absolute")]
    public TAbsolute? Absolute { get; init; }
}

/// <summary>How a <see cref="ChangeMinimum{TAbsolute}"/> is measured.</summary>
[JsonConverter(typeof(ChangeMinimumTypeJsonConverter))]
public enum ChangeMinimumType
{
    /// <summary>A percentage of the value in force (<c>percent</c>).</summary>
    Percent = 1,

    /// <summary>An absolute amount (<c>absolute</c>).</summary>
    Absolute = 2,
}

/// <summary>Reads and writes <see cref="ChangeMinimumType"/> by its CRD name.</summary>
public sealed class ChangeMinimumTypeJsonConverter : WireEnumConverter<ChangeMinimumType>
{
    /// <summary>The values the CRD allows.</summary>
    public const string AllowedText = "percent or absolute";

    protected override string What => "scale_up/scale_down type";

    protected override string Allowed => AllowedText;

    protected override bool TryParse(string? text, out ChangeMinimumType value)
    {
        value = text switch
        {
            "percent" => ChangeMinimumType.Percent,
            "absolute" => ChangeMinimumType.Absolute,
            _ => 0,
        };
        return value != 0;
    }

    protected override string WireName(ChangeMinimumType value) => value == ChangeMinimumType.Percent ? "percent" : "absolute";
}
