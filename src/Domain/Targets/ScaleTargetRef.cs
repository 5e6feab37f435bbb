using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary><c>spec.scaleTargetRef</c>: the Deployment or StatefulSet, in the target's namespace, that is scaled.</summary>
public sealed record ScaleTargetRef
{
    public const string Deployment = "Deployment";
    public const string StatefulSet = "StatefulSet";

    /// <summary>Default <c>apps/v1</c>, the only one supported.</summary>
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; init; }

    /// <summary>Required. <c>Deployment</c> or <c>StatefulSet</c>.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    /// <summary>Required. The workload's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    public override string ToString() => $"{Kind}/{Name}";
}
