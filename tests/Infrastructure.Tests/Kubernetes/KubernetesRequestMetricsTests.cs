using Thoras.Infrastructure.Kubernetes;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes;

public sealed class KubernetesRequestMetricsTests
{
    [Theory]
    [InlineData("GET", "/api/v1/namespaces/demo/pods", "list", "pods")]
    [InlineData("GET", "/api/v1/namespaces/demo/pods?watch=true", "watch", "pods")]
    [InlineData("GET", "/api/v1/namespaces/demo/pods/web-1", "get", "pods")]
    [InlineData("PATCH", "/api/v1/namespaces/demo/pods/web-1/resize", "patch", "pods/resize")]
    [InlineData("POST", "/api/v1/namespaces/demo/pods/web-1/eviction", "create", "pods/eviction")]
    [InlineData("GET", "/api/v1/namespaces/demo", "get", "namespaces")]
    [InlineData("PUT", "/apis/thoras.ai/v1/namespaces/demo/aiscaletargets/web/status", "update", "aiscaletargets.thoras.ai/status")]
    [InlineData("GET", "/apis/thoras.ai/v1/aiscaletargets", "list", "aiscaletargets.thoras.ai")]
    [InlineData("POST", "/apis/events.k8s.io/v1/namespaces/demo/events", "create", "events.events.k8s.io")]
    [InlineData("DELETE", "/api/v1/namespaces/demo/pods", "deletecollection", "pods")]
    [InlineData("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/demo/pods", "list", "pods.metrics.k8s.io")]
    [InlineData("GET", "/version", "get", "other")]
    public void Describe_RequestPath_NamesVerbAndResourceWithoutNames(string method, string path, string verb, string resource)
    {
        var described = KubernetesRequestMetrics.Describe(new HttpMethod(method), new Uri("https://cluster.example" + path));

        Assert.Equal((verb, resource), described);
    }
}
