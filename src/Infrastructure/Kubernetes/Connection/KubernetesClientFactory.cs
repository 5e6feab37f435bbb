using Azure.Core;
using Azure.Identity;
using k8s;
using k8s.Authentication;

namespace Thoras.Infrastructure.Kubernetes.Connection;

/// <summary>
/// Builds the KubernetesClient configuration for the configured <see cref="KubernetesOptions.Mode"/>. No mode
/// stores a credential: <c>aks</c> uses Entra tokens, <c>kubeconfig</c> whatever the local file uses, <c>url</c> none.
/// Every client it builds holds its requests to the instance's request budget and retries throttled requests.
/// </summary>
public static class KubernetesClientFactory
{
    /// <summary>
    /// The API client for <paramref name="options"/>, through <see cref="RequestHandlers"/>, then the request metrics
    /// (<see cref="KubernetesRequestMetrics"/>, innermost, so they count every attempt actually sent).
    /// </summary>
    /// <param name="options">Validated options (see <see cref="KubernetesOptionsValidator"/>).</param>
    /// <param name="aksTokens">The token source for <c>aks</c> mode; unused in the other modes.</param>
    /// <param name="time">The real clock retries wait on.</param>
    public static IKubernetes CreateClient(KubernetesOptions options, ITokenProvider? aksTokens, TimeProvider time) =>
        new k8s.Kubernetes(CreateConfiguration(options, aksTokens), [.. RequestHandlers(options, time), new KubernetesRequestMetrics()]);

    /// <summary>
    /// The handlers every request goes through, outermost first: the retry of throttled requests, then this instance's
    /// request budget (so each attempt spends a token). Add a handler after them to observe what is actually sent.
    /// </summary>
    public static DelegatingHandler[] RequestHandlers(KubernetesOptions options, TimeProvider time) =>
        [ThrottledRequestRetry.CreateHandler(time), new RequestBudgetHandler(KubernetesRequestBudget.ForInstance(options))];

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
