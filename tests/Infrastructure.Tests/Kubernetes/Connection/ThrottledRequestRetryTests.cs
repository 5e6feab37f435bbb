using System.Diagnostics;
using k8s;
using k8s.Autorest;
using Thoras.Infrastructure.Kubernetes.Connection;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes.Connection;

/// <summary>The app's Kubernetes client against the sandbox, which throttles like API Priority and Fairness when told to.</summary>
public sealed class ThrottledRequestRetryTests(SandboxClusterFixture cluster) : IClassFixture<SandboxClusterFixture>
{
    [Fact]
    public async Task Request_Throttled429WithRetryAfter_WaitsItOutAndSucceeds()
    {
        var ns = await cluster.NewNamespaceAsync();
        using var client = KubernetesClientFactory.CreateClient(Options(), aksTokens: null, TimeProvider.System);
        cluster.Sandbox.Faults.ThrottleNext("GET", $"/api/v1/namespaces/{ns}", TimeSpan.FromSeconds(2));
        var watch = Stopwatch.StartNew();

        var read = await client.CoreV1.ReadNamespaceAsync(ns);

        Assert.Equal(ns, read.Metadata.Name);
        // Without Retry-After the first retry would come after about half a second.
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), $"answered after {watch.Elapsed.TotalSeconds:0.00} s, before the 2 s Retry-After");
    }

    [Fact]
    public async Task Request_ThrottledMoreOftenThanTheRetries_FailsWith429()
    {
        var ns = await cluster.NewNamespaceAsync();
        using var client = KubernetesClientFactory.CreateClient(Options(), aksTokens: null, TimeProvider.System);
        cluster.Sandbox.Faults.ThrottleNext("GET", $"/api/v1/namespaces/{ns}", TimeSpan.Zero, count: ThrottledRequestRetry.MaxRetries + 1);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespaceAsync(ns));

        Assert.Equal(429, (int)error.Response.StatusCode);
    }

    [Fact]
    public async Task Request_ServerErrorWithoutRetryAfter_IsNotRetried()
    {
        var ns = await cluster.NewNamespaceAsync();
        using var client = KubernetesClientFactory.CreateClient(Options(), aksTokens: null, TimeProvider.System);
        cluster.Sandbox.Faults.FailNext("GET", $"/api/v1/namespaces/{ns}", count: 1, statusCode: 500);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespaceAsync(ns));

        Assert.Equal(500, (int)error.Response.StatusCode);
    }

    private KubernetesOptions Options() => new() { Mode = KubernetesModes.Url, ClusterUrl = cluster.Sandbox.BaseUrl.ToString() };
}
