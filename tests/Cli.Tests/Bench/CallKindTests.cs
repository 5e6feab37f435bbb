using Thoras.Cli.Bench;
using Xunit;

namespace Thoras.Cli.Tests.Bench;

public sealed class CallKindTests
{
    [Theory]
    [InlineData("GET", "/apis/thoras.ai/v1/aiscaletargets", "k8s GET aiscaletargets (list)")]
    [InlineData("GET", "/apis/thoras.ai/v1/namespaces/shop/aiscaletargets/web", "k8s GET aiscaletargets")]
    [InlineData("PUT", "/apis/thoras.ai/v1/namespaces/shop/aiscaletargets/web/status", "k8s PUT aiscaletargets/status")]
    [InlineData("GET", "/api/v1/namespaces/shop/pods", "k8s GET pods (list)")]
    [InlineData("POST", "/apis/events.k8s.io/v1/namespaces/shop/events", "k8s POST events")]
    [InlineData("PATCH", "/api/v1/namespaces/shop/pods/web-1/resize", "k8s PATCH pods/resize")]
    [InlineData("GET", "/api/v1/namespaces/thoras", "k8s GET namespaces")]
    [InlineData("GET", "/version", "k8s GET /version")]
    public void KindOf_KubernetesPath_MethodAndResource(string method, string path, string expected)
    {
        Assert.Equal(expected, RecordingHandler.KindOf(method, path));
    }

    [Theory]
    [InlineData("/devstoreaccount1/bench1Usage()", "Usage")]
    [InlineData("/devstoreaccount1/bench1Targets(PartitionKey='a',RowKey='b')", "Targets")]
    [InlineData("/devstoreaccount1/$batch", "$batch")]
    [InlineData("/devstoreaccount1/Tables", "Tables")]
    [InlineData("/devstoreaccount1/bench1-models/uid/cpu.model", "models")]
    public void Resource_StoragePath_TableOrContainerWithoutPrefix(string path, string expected)
    {
        Assert.Equal(expected, RecordingPolicy.Resource(path, "bench1"));
    }
}
