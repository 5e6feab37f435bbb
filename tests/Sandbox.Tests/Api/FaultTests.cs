using System.Net;
using k8s;
using Thoras.Sandbox.Tests.Support;
using static Thoras.Sandbox.Tests.Support.Crds;

namespace Thoras.Sandbox.Tests.Api;

public sealed class FaultTests : IAsyncLifetime
{
    private SandboxServer sandbox = null!;
    private IKubernetes client = null!;

    public async Task InitializeAsync()
    {
        sandbox = await SandboxServer.StartAsync();
        client = sandbox.CreateClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await sandbox.DisposeAsync();
    }

    [Fact]
    public async Task FailNext_MatchingRequests_FailWithStatusThenRecover()
    {
        sandbox.Faults.FailNext("GET", "/api/v1/namespaces/*/configmaps", count: 2, statusCode: 503);

        var first = await ApiFailureAsync(() => client.CoreV1.ListNamespacedConfigMapAsync("default"));
        var second = await ApiFailureAsync(() => client.CoreV1.ListNamespacedConfigMapAsync("default"));
        var third = await client.CoreV1.ListNamespacedConfigMapAsync("default");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.Response.StatusCode);
        Assert.Equal("ServiceUnavailable", StatusBody(second)["reason"]!.ToString());
        Assert.NotNull(third.Items);
    }

    [Fact]
    public async Task FailNext_OtherMethod_IsNotAffected()
    {
        sandbox.Faults.FailNext("PATCH", "/api/v1/namespaces/*/configmaps/*", count: 1, statusCode: 500);

        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default");

        Assert.NotNull(list.Items);
    }

    [Fact]
    public async Task HangNext_MatchingRequest_ExceedsClientTimeoutThenRecovers()
    {
        sandbox.Faults.HangNext("GET", "/api/v1/namespaces", count: 1, duration: TimeSpan.FromSeconds(10));
        using var impatient = new HttpClient { BaseAddress = sandbox.BaseUrl, Timeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.GetAsync("api/v1/namespaces"));
        using var next = await impatient.GetAsync("api/v1/namespaces");

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }
}
