namespace Thoras.Infrastructure.Kubernetes;

/// <summary>Where the pause mirror lives in the cluster. Bound from the <c>Thoras</c> configuration section.</summary>
public sealed class PauseMirrorOptions
{
    public const string SectionName = "Thoras";

    /// <summary>The control-plane namespace holding the <c>thoras-operator-system-config</c> ConfigMap. App setting <c>Thoras__ControlPlaneNamespace</c>. Default: <c>thoras</c>.</summary>
    public string ControlPlaneNamespace { get; set; } = "thoras";
}
