using Thoras.Infrastructure.Kubernetes.Connection;

namespace Thoras.Infrastructure.Tests.Kubernetes.Connection;

/// <summary>Builds <see cref="KubernetesOptions"/> for one mode at a time, starting from the defaults.</summary>
internal sealed class OptionsBuilder
{
    private readonly KubernetesOptions options = new();

    public OptionsBuilder Aks(string clusterUrl, string certificateAuthorityData)
    {
        options.Mode = KubernetesModes.Aks;
        options.ClusterUrl = clusterUrl;
        options.CertificateAuthorityData = certificateAuthorityData;
        return this;
    }

    public OptionsBuilder Url(string clusterUrl)
    {
        options.Mode = KubernetesModes.Url;
        options.ClusterUrl = clusterUrl;
        return this;
    }

    public OptionsBuilder Kubeconfig(string path, string? context = null)
    {
        options.Mode = KubernetesModes.Kubeconfig;
        options.KubeconfigPath = path;
        options.Context = context;
        return this;
    }

    public OptionsBuilder With(Action<KubernetesOptions> change)
    {
        change(options);
        return this;
    }

    public KubernetesOptions Build() => options;
}
