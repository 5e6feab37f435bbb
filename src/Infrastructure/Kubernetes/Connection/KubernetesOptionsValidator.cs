using k8s;
using Microsoft.Extensions.Options;

namespace Thoras.Infrastructure.Kubernetes.Connection;

/// <summary>
/// Checks <see cref="KubernetesOptions"/> when the host starts, so a misconfigured deployment fails at once
/// with a message naming the app setting to fix, instead of on the first timer tick.
/// </summary>
public sealed class KubernetesOptionsValidator : IValidateOptions<KubernetesOptions>
{
    public ValidateOptionsResult Validate(string? name, KubernetesOptions options)
    {
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The kubeconfig file <c>kubeconfig</c> mode reads: the configured path, else the client's default.</summary>
    public static string KubeconfigFile(KubernetesOptions options) =>
        string.IsNullOrWhiteSpace(options.KubeconfigPath) ? KubernetesClientConfiguration.KubeConfigDefaultLocation : options.KubeconfigPath;

    private static IEnumerable<string> Failures(KubernetesOptions options) => ModeFailures(options).Concat(KubernetesRequestBudget.Failures(options));

    private static IEnumerable<string> ModeFailures(KubernetesOptions options)
    {
        if (KubernetesModes.Is(options.Mode, KubernetesModes.Aks)) return AksFailures(options);
        if (KubernetesModes.Is(options.Mode, KubernetesModes.Url)) return UrlFailures(options);
        if (KubernetesModes.Is(options.Mode, KubernetesModes.Kubeconfig)) return KubeconfigFailures(options);
        return [$"Kubernetes__Mode is '{options.Mode}'; use one of: {string.Join(", ", KubernetesModes.All)}."];
    }

    private static IEnumerable<string> AksFailures(KubernetesOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ClusterUrl))
            yield return "Kubernetes__ClusterUrl is required when Kubernetes__Mode is aks: the API server URL, e.g. https://my-aks-dns-1a2b3c.hcp.westeurope.azmk8s.io:443.";
        else if (!IsAbsoluteUrl(options.ClusterUrl, httpsOnly: true))
            yield return $"Kubernetes__ClusterUrl must be an absolute https URL when Kubernetes__Mode is aks; got '{options.ClusterUrl}'.";

        if (string.IsNullOrWhiteSpace(options.CertificateAuthorityData))
            yield return "Kubernetes__CertificateAuthorityData is required when Kubernetes__Mode is aks: the base64 certificate-authority-data of the cluster in its kubeconfig.";
        else if (CertificateAuthorityError(options.CertificateAuthorityData) is { } error)
            yield return $"Kubernetes__CertificateAuthorityData is invalid: {error}";

        if (string.IsNullOrWhiteSpace(options.AksScope))
            yield return $"Kubernetes__AksScope must not be empty; leave it unset for the default {KubernetesOptions.DefaultAksScope}.";
    }

    private static IEnumerable<string> UrlFailures(KubernetesOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ClusterUrl))
            yield return "Kubernetes__ClusterUrl is required when Kubernetes__Mode is url, e.g. http://127.0.0.1:8001.";
        else if (!IsAbsoluteUrl(options.ClusterUrl, httpsOnly: false))
            yield return $"Kubernetes__ClusterUrl must be an absolute http or https URL; got '{options.ClusterUrl}'.";
    }

    private static IEnumerable<string> KubeconfigFailures(KubernetesOptions options)
    {
        var file = KubeconfigFile(options);
        if (!File.Exists(file))
            yield return $"Kubernetes__Mode is kubeconfig but there is no kubeconfig file at '{file}'; set Kubernetes__KubeconfigPath (or KUBECONFIG), or choose another Kubernetes__Mode.";
    }

    private static bool IsAbsoluteUrl(string value, bool httpsOnly) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (!httpsOnly && uri.Scheme == Uri.UriSchemeHttp));

    private static string? CertificateAuthorityError(string value)
    {
        try
        {
            ClusterCertificateAuthority.Parse(value);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }
}
