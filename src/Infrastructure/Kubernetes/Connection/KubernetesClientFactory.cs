using Azure.Core;
using Azure.Identity;
using k8s;
using k8s.Authentication;

namespace Thoras.Infrastructure.Kubernetes.Connection;

/// <summary>
/// Builds the KubernetesClient configuration for the configured <see cref="KubernetesOptions.Mode"/>. No mode
/// stores a credential: <c>aks</c> uses Entra tokens, <c>kubeconfig</c> whatever the local file uses, <c>url</c> none.
/// </summary>
public static class KubernetesClientFactory
{
    /// <param name="options">Validated options (see <see cref="KubernetesOptionsValidator"/>).</param>
    /// <param name="aksTokens">The token source for <c>aks</c> mode; unused in the other modes.</param>
    public static KubernetesClientConfiguration CreateConfiguration(KubernetesOptions options, ITokenProvider? aksTokens)
    {
        if (KubernetesModes.Is(options.Mode, KubernetesModes.Aks))
        {
            return new KubernetesClientConfiguration
            {
                Host = Required(options.ClusterUrl, "ClusterUrl"),
                SslCaCerts = ClusterCertificateAuthority.Parse(Required(options.CertificateAuthorityData, "CertificateAuthorityData")),
                TokenProvider = aksTokens ?? throw new ArgumentNullException(nameof(aksTokens), "aks mode needs a token provider."),
            };
        }

        if (KubernetesModes.Is(options.Mode, KubernetesModes.Url))
            return new KubernetesClientConfiguration { Host = Required(options.ClusterUrl, "ClusterUrl") };

        if (KubernetesModes.Is(options.Mode, KubernetesModes.Kubeconfig))
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(KubernetesOptionsValidator.KubeconfigFile(options), options.Context);

        throw new InvalidOperationException($"Kubernetes__Mode is '{options.Mode}'; use one of: {string.Join(", ", KubernetesModes.All)}.");
    }

    /// <summary>The user-assigned managed identity when its client id is set, else the default Azure credential chain.</summary>
    public static TokenCredential CreateAksCredential(KubernetesOptions options) =>
        string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));

    private static string Required(string? value, string setting) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"Kubernetes__{setting} is not set.") : value;
}
