using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Thoras.Functions.Hosting;
using Xunit;

namespace Thoras.Functions.Tests.Hosting;

public sealed class KubernetesRegistrationTests
{
    [Fact]
    public void AddThorasKubernetes_UrlMode_ResolvesClientForClusterUrl()
    {
        using var services = Services(("Kubernetes:Mode", "url"), ("Kubernetes:ClusterUrl", "http://127.0.0.1:8001"));

        var client = services.GetRequiredService<IKubernetes>();

        Assert.Equal(new Uri("http://127.0.0.1:8001/"), client.BaseUri);
    }

    [Fact]
    public void AddThorasKubernetes_AksModeSettings_ResolvesClientForClusterUrl()
    {
        using var services = Services(
            ("Kubernetes:Mode", "aks"),
            ("Kubernetes:ClusterUrl", "https://my-aks.hcp.westeurope.azmk8s.io:443"),
            ("Kubernetes:CertificateAuthorityData", TestAuthority.Data),
            ("Kubernetes:ManagedIdentityClientId", "00000000-0000-0000-0000-000000000001"));

        var client = services.GetRequiredService<IKubernetes>();

        Assert.Equal("my-aks.hcp.westeurope.azmk8s.io", client.BaseUri.Host);
    }

    [Fact]
    public async Task AddThorasKubernetes_InvalidSettings_HostStartFailsNamingTheSetting()
    {
        using var host = new HostBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection([new("Kubernetes:Mode", "kube")]))
            .ConfigureServices((context, s) => s.AddThorasKubernetes(context.Configuration))
            .Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Kubernetes__Mode is 'kube'; use one of: aks, kubeconfig, url.", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new ServiceCollection().AddLogging().AddThorasKubernetes(configuration).BuildServiceProvider();
    }
}
