using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>What the app does for one direction (vertical or horizontal) of an AIScaleTarget.</summary>
[JsonConverter(typeof(TargetModeJsonConverter))]
public enum TargetMode
{
    /// <summary>Collect usage and forecast, but publish no suggestion (<c>observe</c>, <c>observation</c>).</summary>
    Observation = 1,

    /// <summary>Collect, forecast and publish suggestions; never change the workload (<c>recommendation</c>, <c>recommend</c>, <c>rec</c>).</summary>
    Recommendation = 2,

    /// <summary>Collect, forecast, publish and apply suggestions while scaling is not paused (<c>autonomous</c>, <c>auto</c>).</summary>
    Autonomous = 3,
}

/// <summary>The accepted spellings of <see cref="TargetMode"/> and what each mode allows.</summary>
public static class TargetModes
{
    /// <summary>Every spelling a user may write, canonical names first, as the CRD's enum lists them.</summary>
    public static readonly IReadOnlyList<string> AcceptedValues =
        ["autonomous", "recommendation", "observation", "auto", "recommend", "rec", "observe"];

    /// <summary>The spellings that mean <see cref="TargetMode.Autonomous"/>, as the CRD's CEL rules list them.</summary>
    public static readonly IReadOnlyList<string> AutonomousSpellings = ["autonomous", "auto"];

    /// <summary>How a user should be told the allowed values.</summary>
    public const string AllowedText = "autonomous (auto), recommendation (recommend, rec) or observation (observe)";

    /// <summary>Reads a mode or one of its aliases, ignoring case and surrounding spaces.</summary>
    public static bool TryParse(string? text, out TargetMode mode)
    {
        mode = (text ?? string.Empty).Trim().ToLowerInvariant() switch
        {
            "autonomous" or "auto" => TargetMode.Autonomous,
            "recommendation" or "recommend" or "rec" => TargetMode.Recommendation,
            "observation" or "observe" => TargetMode.Observation,
            _ => 0,
        };
        return mode != 0;
    }

    /// <summary>
    /// Reads a mode or one of its aliases exactly as <see cref="AcceptedValues"/> spells them (lower case, no spaces),
    /// as the CRD's enum and the HTTP API accept them.
    /// </summary>
    public static bool TryParseExact(string? text, out TargetMode mode)
    {
        mode = 0;
        return text is not null && AcceptedValues.Contains(text, StringComparer.Ordinal) && TryParse(text, out mode);
    }

    /// <summary>Reads a mode or one of its aliases; throws <see cref="FormatException"/> naming the allowed values.</summary>
    public static TargetMode Parse(string text) =>
        TryParse(text, out var mode) ? mode : throw new FormatException($"'{text}' is not a mode; use {AllowedText}");

    /// <summary>The canonical name written to the cluster and shown to users.</summary>
    public static string ToWireName(this TargetMode mode) => mode switch
    {
        TargetMode.Autonomous => "autonomous",
        TargetMode.Recommendation => "recommendation",
        TargetMode.Observation => "observation",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown mode."),
    };

    /// <summary>Recommendation and autonomous publish suggestions; observation only forecasts.</summary>
    public static bool PublishesSuggestions(this TargetMode mode) => mode is TargetMode.Recommendation or TargetMode.Autonomous;
}

/// <summary>Reads a <see cref="TargetMode"/> from any accepted spelling and writes its canonical name.</summary>
public sealed class TargetModeJsonConverter : WireEnumConverter<TargetMode>
{
    protected override string What => "mode";

    protected override string Allowed => TargetModes.AllowedText;

    protected override bool TryParse(string? text, out TargetMode value) => TargetModes.TryParse(text, out value);

    protected override string WireName(TargetMode value) => value.ToWireName();
}
