using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>How vertical suggestions reach pods (<c>vertical.update_policy.update_mode</c>).</summary>
[JsonConverter(typeof(UpdateModeJsonConverter))]
public enum UpdateMode
{
    /// <summary>Only pods created afterwards get the suggestion, through the admission webhook (<c>initial</c>).</summary>
    Initial = 1,

    /// <summary>Running pods are resized in place; a resize the node cannot fit waits (<c>in_place</c>).</summary>
    InPlace = 2,

    /// <summary>Resize in place, and evict the pod when the resize is infeasible (<c>in_place_or_recreate</c>).</summary>
    InPlaceOrRecreate = 3,

    /// <summary>Evict pods so they are recreated with the suggestion (<c>recreate</c>).</summary>
    Recreate = 4,
}

/// <summary>Names of <see cref="UpdateMode"/> as the CRD writes them, and what each allows.</summary>
public static class UpdateModes
{
    public const string AllowedText = "initial, in_place, in_place_or_recreate or recreate";

    public static bool TryParse(string? text, out UpdateMode mode)
    {
        mode = text switch
        {
            "initial" => UpdateMode.Initial,
            "in_place" => UpdateMode.InPlace,
            "in_place_or_recreate" => UpdateMode.InPlaceOrRecreate,
            "recreate" => UpdateMode.Recreate,
            _ => 0,
        };
        return mode != 0;
    }

    public static string ToWireName(this UpdateMode mode) => mode switch
    {
        UpdateMode.Initial => "initial",
        UpdateMode.InPlace => "in_place",
        UpdateMode.InPlaceOrRecreate => "in_place_or_recreate",
        UpdateMode.Recreate => "recreate",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown update mode."),
    };

    /// <summary>Whether running pods are changed at all (everything but <c>initial</c>).</summary>
    public static bool ChangesRunningPods(this UpdateMode mode) => mode != UpdateMode.Initial;

    /// <summary>Whether running pods are resized through <c>pods/resize</c>.</summary>
    public static bool ResizesInPlace(this UpdateMode mode) => mode is UpdateMode.InPlace or UpdateMode.InPlaceOrRecreate;

    /// <summary>Whether pods may be evicted (through the Eviction API, honouring PodDisruptionBudgets).</summary>
    public static bool AllowsEviction(this UpdateMode mode) => mode is UpdateMode.InPlaceOrRecreate or UpdateMode.Recreate;
}

/// <summary>Reads and writes <see cref="UpdateMode"/> by its CRD name.</summary>
public sealed class UpdateModeJsonConverter : WireEnumConverter<UpdateMode>
{
    protected override string What => "update_mode";

    protected override string Allowed => UpdateModes.AllowedText;

    protected override bool TryParse(string? text, out UpdateMode value) => UpdateModes.TryParse(text, out value);

    protected override string WireName(UpdateMode value) => value.ToWireName();
}
