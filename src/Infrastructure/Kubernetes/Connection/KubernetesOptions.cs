namespace Thoras.Infrastructure.Kubernetes.Connection;

/// <summary>How the app reaches the Kubernetes API. Bound from the <c>Kubernetes</c> configuration section.</summary>
/// <example>
/// In Azure (set by <c>infra/bicep</c>): <c>Kubernetes__Mode=aks</c>, <c>Kubernetes__ClusterUrl=https://my-aks.hcp.westeurope.azmk8s.io:443</c>,
/// <c>Kubernetes__CertificateAuthorityData=LS0t...</c>, <c>Kubernetes__ManagedIdentityClientId=&lt;client id&gt;</c>.
/// Against the sandbox: <c>Kubernetes__Mode=url</c>, <c>Kubernetes__ClusterUrl=http://127.0.0.1:8001</c>.
/// </example>
public sealed class KubernetesOptions
{
    public const string SectionName = "Kubernetes";

    /// <summary>The application id of the AKS Entra server app (the same in every tenant), as a token scope.</summary>
    public const string DefaultAksScope = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";

    /// <summary>
    /// <c>aks</c>: an Entra token of the managed identity for <see cref="AksScope"/>, with <see cref="ClusterUrl"/> and
    /// <see cref="CertificateAuthorityData"/>. <c>kubeconfig</c>: a kubeconfig file (local runs).
    /// <c>url</c>: <see cref="ClusterUrl"/> without authentication (the sandbox and tests).
    /// Default: <c>kubeconfig</c>.
    /// </summary>
    public string Mode { get; set; } = KubernetesModes.Kubeconfig;

    /// <summary>The API server URL; required in <c>aks</c> (https) and <c>url</c> modes. Default: none.</summary>
    public string? ClusterUrl { get; set; }

    /// <summary>
    /// The cluster CA as the kubeconfig's base64 <c>certificate-authority-data</c> (a PEM text is accepted too);
    /// required in <c>aks</c> mode. Public data, not a credential. Default: none.
    /// </summary>
    public string? CertificateAuthorityData { get; set; }

    /// <summary>The kubeconfig file in <c>kubeconfig</c> mode. Default: <c>KUBECONFIG</c>, else <c>~/.kube/config</c>.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>The kubeconfig context in <c>kubeconfig</c> mode. Default: the file's current context.</summary>
    public string? Context { get; set; }

    /// <summary>The token scope in <c>aks</c> mode. Default: <see cref="DefaultAksScope"/>.</summary>
    public string AksScope { get; set; } = DefaultAksScope;

    /// <summary>
    /// The client id of the user-assigned managed identity whose token is used in <c>aks</c> mode.
    /// Default: none, which uses the default Azure credential chain (e.g. <c>az login</c> on a workstation).
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// The request budget of the whole app on the API server, in requests per second, shared by every instance (see
    /// <see cref="BudgetInstances"/>); a token bucket refilled at this rate, like client-go's <c>--kube-api-qps</c>.
    /// Default: 50, client-go's default for controllers.
    /// </summary>
    public double RequestsPerSecond { get; set; } = 50;

    /// <summary>
    /// The most requests the whole app may send at once after a quiet spell (the token bucket's size), shared like
    /// <see cref="RequestsPerSecond"/>; client-go's <c>--kube-api-burst</c>. Default: 100.
    /// </summary>
    public int RequestBurst { get; set; } = 100;

    /// <summary>
    /// How many instances share the budget: each instance's limiter allows <see cref="RequestsPerSecond"/> and
    /// <see cref="RequestBurst"/> divided by this, so the app as a whole stays within the budget when no more than
    /// this many instances send requests at once (docs/fanout.md). Default: 1.
    /// </summary>
    public int BudgetInstances { get; set; } = 1;
}
