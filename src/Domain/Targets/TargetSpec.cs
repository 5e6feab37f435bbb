using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>
/// The <c>spec</c> of an AIScaleTarget (DESIGN.md §2), exactly as the CRD names its fields. A spec read from the
/// cluster may be invalid; <see cref="TargetValidator"/> says how. Mode changes go through <see cref="WithMode"/>,
/// which refuses a change the rules do not allow.
/// </summary>
public sealed record TargetSpec
{
    /// <summary>The controller whose pods are scaled. Exactly one of this and <see cref="Selector"/>.</summary>
    [JsonPropertyName("scaleTargetRef")]
    public ScaleTargetRef? ScaleTargetRef { get; init; }

    /// <summary>The pods that are scaled (vertical only). Exactly one of this and <see cref="ScaleTargetRef"/>.</summary>
    [JsonPropertyName("selector")]
    public LabelSelector? Selector { get; init; }

    /// <summary>Forecasting settings shared by both directions.</summary>
    [JsonPropertyName("model")]
    public ModelSpec? Model { get; init; }

    [JsonPropertyName("vertical")]
    public VerticalSpec? Vertical { get; init; }

    [JsonPropertyName("horizontal")]
    public HorizontalSpec? Horizontal { get; init; }

    /// <summary>The directions this target sets, vertical first.</summary>
    [JsonIgnore]
    public IReadOnlyList<ScalingDirection> Directions =>
        ScalingDirections.All.Where(IsSet).ToList();

    /// <summary>The direction that is autonomous, if any (at most one is, in a valid spec).</summary>
    [JsonIgnore]
    public ScalingDirection? AutonomousDirection =>
        ScalingDirections.All.Where(d => ModeOf(d) == TargetMode.Autonomous).Select(d => (ScalingDirection?)d).FirstOrDefault();

    /// <summary>Whether the direction's block (<c>spec.vertical</c> or <c>spec.horizontal</c>) is present.</summary>
    public bool IsSet(ScalingDirection direction) => direction switch
    {
        ScalingDirection.Vertical => Vertical is not null,
        ScalingDirection.Horizontal => Horizontal is not null,
        _ => false,
    };

    /// <summary>The mode of a direction, or null when the direction is not set (or has no mode).</summary>
    public TargetMode? ModeOf(ScalingDirection direction) => direction switch
    {
        ScalingDirection.Vertical => Vertical?.Mode,
        ScalingDirection.Horizontal => Horizontal?.Mode,
        _ => null,
    };

    /// <summary>Whether the direction is set and autonomous.</summary>
    public bool IsAutonomous(ScalingDirection direction) => ModeOf(direction) == TargetMode.Autonomous;

    /// <summary>The forecasting settings in effect for a direction: its own model over <c>spec.model</c> over the defaults.</summary>
    public ForecastModel ModelFor(ScalingDirection direction) =>
        EffectiveModelSpec(direction).Resolve();

    /// <summary>The merged, not yet defaulted model of a direction: its own model's fields over <c>spec.model</c>'s.</summary>
    public ModelSpec EffectiveModelSpec(ScalingDirection direction)
    {
        var overrides = direction == ScalingDirection.Vertical ? Vertical?.Model : Horizontal?.Model;
        return (Model ?? new ModelSpec()).OverriddenBy(overrides);
    }

    /// <summary>
    /// This spec with <paramref name="direction"/> switched to <paramref name="mode"/>. Refuses (with
    /// <see cref="InvalidModeChangeException"/>) a direction the target does not set, and a change that would make
    /// both directions autonomous: only one may be at a time, so the other must be switched away first.
    /// </summary>
    public TargetSpec WithMode(ScalingDirection direction, TargetMode mode)
    {
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown mode.");
        var name = direction.ToWireName();
        if (!IsSet(direction))
            throw new InvalidModeChangeException($"This target has no spec.{name}, so it is not scaled {name}ly and has no {name} mode to change.");

        var other = direction.Other();
        if (mode == TargetMode.Autonomous && IsAutonomous(other))
        {
            throw new InvalidModeChangeException(
                $"Cannot make {name} autonomous: {other.ToWireName()} is already autonomous, and only one direction may be autonomous at a time. " +
                $"Switch {other.ToWireName()} to recommendation first.");
        }

        return direction == ScalingDirection.Vertical
            ? this with { Vertical = Vertical! with { Mode = mode } }
            : this with { Horizontal = Horizontal! with { Mode = mode } };
    }
}

/// <summary>A mode change the rules refuse, such as making both directions autonomous. The message says why.</summary>
public sealed class InvalidModeChangeException : InvalidOperationException
{
    public InvalidModeChangeException()
    {
    }

    public InvalidModeChangeException(string message)
        : base(message)
    {
    }

    public InvalidModeChangeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
