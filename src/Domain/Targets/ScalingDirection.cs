namespace Thoras.Domain.Targets;

/// <summary>The two ways a target is scaled: vertical (container requests and limits) and horizontal (replica count).</summary>
public enum ScalingDirection
{
    /// <summary>Container CPU and memory requests (and limits), through <c>spec.vertical</c>.</summary>
    Vertical = 1,

    /// <summary>The replica count, as a floor on the target's HPA, through <c>spec.horizontal</c>.</summary>
    Horizontal = 2,
}

/// <summary>Names of <see cref="ScalingDirection"/> as the API and the CRD write them.</summary>
public static class ScalingDirections
{
    public static readonly IReadOnlyList<ScalingDirection> All = [ScalingDirection.Vertical, ScalingDirection.Horizontal];

    /// <summary>Reads <c>vertical</c> or <c>horizontal</c>, ignoring case and surrounding spaces.</summary>
    public static bool TryParse(string? text, out ScalingDirection direction)
    {
        direction = (text ?? string.Empty).Trim().ToLowerInvariant() switch
        {
            "vertical" => ScalingDirection.Vertical,
            "horizontal" => ScalingDirection.Horizontal,
            _ => 0,
        };
        return direction != 0;
    }

    /// <summary>Reads exactly <c>vertical</c> or <c>horizontal</c> (lower case, no spaces), as the HTTP API accepts them.</summary>
    public static bool TryParseExact(string? text, out ScalingDirection direction)
    {
        direction = 0;
        return text is "vertical" or "horizontal" && TryParse(text, out direction);
    }

    /// <summary>The field name under <c>spec</c>: <c>vertical</c> or <c>horizontal</c>.</summary>
    public static string ToWireName(this ScalingDirection direction) => direction switch
    {
        ScalingDirection.Vertical => "vertical",
        ScalingDirection.Horizontal => "horizontal",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "Unknown direction."),
    };

    /// <summary>The other direction: only one of the two may be autonomous.</summary>
    public static ScalingDirection Other(this ScalingDirection direction) =>
        direction == ScalingDirection.Vertical ? ScalingDirection.Horizontal : ScalingDirection.Vertical;
}
