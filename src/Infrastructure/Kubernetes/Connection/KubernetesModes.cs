namespace Thoras.Infrastructure.Kubernetes.Connection;

/// <summary>The accepted values of <see cref="KubernetesOptions.Mode"/> (compared case-insensitively).</summary>
public static class KubernetesModes
{
    public const string Aks = "aks";
    public const string Kubeconfig = "kubeconfig";
    public const string Url = "url";

    public static IReadOnlyList<string> All { get; } = [Aks, Kubeconfig, Url];

    public static bool Is(string? value, string mode) => string.Equals(value?.Trim(), mode, StringComparison.OrdinalIgnoreCase);
}
