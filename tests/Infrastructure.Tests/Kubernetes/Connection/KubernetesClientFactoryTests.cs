using k8s;
using Microsoft.Extensions.Time.Testing;
using Thoras.Infrastructure.Kubernetes.Connection;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes.Connection;

public sealed class KubernetesClientFactoryTests : IDisposable
{
    private readonly TestCertificates certificates = TestCertificates.Create();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));

    public void Dispose() => certificates.Dispose();

    [Fact]
    public async Task CreateConfiguration_AksMode_SendsManagedIdentityTokenAsBearerOverTrustedTls()
    {
        await using var server = new RecordingApiServer(certificates.Server);
        using var tokens = new AksTokenProvider(new FakeTokenCredential(clock), KubernetesOptions.DefaultAksScope, clock, new CapturingLogger<AksTokenProvider>());
        var options = new OptionsBuilder().Aks(server.Url, certificates.AuthorityData).Build();
        using var client = new k8s.Kubernetes(KubernetesClientFactory.CreateConfiguration(options, tokens));

        await client.CoreV1.ListNamespaceAsync();

        var request = Assert.Single(server.Requests);
        Assert.StartsWith("/api/v1/namespaces", request.Path, StringComparison.Ordinal);
        Assert.Equal("Bearer token-1", request.Headers["Authorization"]);
    }

    [Fact]
    public async Task CreateConfiguration_AksModeWithAnotherClustersCa_RefusesServer()
    {
        using var other = TestCertificates.Create();
        await using var server = new RecordingApiServer(certificates.Server);
        using var tokens = new AksTokenProvider(new FakeTokenCredential(clock), KubernetesOptions.DefaultAksScope, clock, new CapturingLogger<AksTokenProvider>());
        var options = new OptionsBuilder().Aks(server.Url, other.AuthorityData).Build();
        using var client = new k8s.Kubernetes(KubernetesClientFactory.CreateConfiguration(options, tokens));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespaceAsync());
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task CreateConfiguration_UrlMode_SendsNoAuthorization()
    {
        await using var server = new RecordingApiServer();
        var options = new OptionsBuilder().Url(server.Url).Build();
        using var client = new k8s.Kubernetes(KubernetesClientFactory.CreateConfiguration(options, aksTokens: null));

        await client.CoreV1.ListNamespaceAsync();

        var request = Assert.Single(server.Requests);
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task CreateConfiguration_KubeconfigMode_UsesFileContextServerAndUser()
    {
        await using var server = new RecordingApiServer();
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"thoras-kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(kubeconfig, Kubeconfig(server.Url));
        try
        {
            var options = new OptionsBuilder().Kubeconfig(kubeconfig, context: "dev").Build();
            using var client = new k8s.Kubernetes(KubernetesClientFactory.CreateConfiguration(options, aksTokens: null));

            await client.CoreV1.ListNamespaceAsync();

            var request = Assert.Single(server.Requests);
            Assert.Equal("Bearer dev-user-token", request.Headers["Authorization"]);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public void CreateConfiguration_AksModeWithoutTokenProvider_Throws()
    {
        var options = new OptionsBuilder().Aks("https://127.0.0.1:6443", certificates.AuthorityData).Build();

        Assert.Throws<ArgumentNullException>(() => KubernetesClientFactory.CreateConfiguration(options, aksTokens: null));
    }

    private static string Kubeconfig(string serverUrl) => $"""
        apiVersion: v1
        kind: Config
        current-context: other
        clusters:
        - name: dev
          cluster:
            server: {serverUrl}
        - name: other
          cluster:
            server: http://127.0.0.1:1
        users:
        - name: dev
          user:
            token: dev-user-token
        contexts:
        - name: dev
          context:
            cluster: dev
            user: dev
        - name: other
          context:
            cluster: other
            user: dev
        """;
}
