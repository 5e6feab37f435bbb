using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging.Abstractions;
using Thoras.Domain.Apply;
using Thoras.Domain.Targets;
using Thoras.Infrastructure.Kubernetes;
using Thoras.Sandbox.Seeding;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes;

/// <summary>The scaling actions against the sandbox API server, through the real client over HTTP.</summary>
public sealed class KubernetesScalingActionsTests(SandboxClusterFixture cluster) : IClassFixture<SandboxClusterFixture>
{
    private readonly KubernetesScalingActions actions = new(cluster.Client, NullLogger<KubernetesScalingActions>.Instance);

    private static ContainerResources App(string cpu, string memory) =>
        new("app", new ResourceAmounts { Cpu = Quantity.Parse(cpu), Memory = Quantity.Parse(memory) }, new ResourceAmounts { Cpu = Quantity.Parse("1"), Memory = Quantity.Parse("1Gi") });

    private async Task<(string Namespace, string Pod)> DeployAsync(int replicas = 1, string cpu = "250m")
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithReplicas(replicas).WithContainer("app", cpu, "256Mi", "1", "1Gi").Build());
        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync(ns);
        return (ns, pods.Items.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).First().Metadata.Name);
    }

    [Fact]
    public async Task ResizePodAsync_FitsTheNode_AppliedAndThePodRunsWithIt()
    {
        var (ns, pod) = await DeployAsync();

        var outcome = await actions.ResizePodAsync(ns, pod, [App("400m", "384Mi")], CancellationToken.None);

        var resized = await cluster.Client.CoreV1.ReadNamespacedPodAsync(pod, ns);
        Assert.Equal(ResizeOutcome.Applied, outcome);
        Assert.Equal(("400m", "384Mi"), (resized.Spec.Containers[0].Resources.Requests["cpu"].ToString(), resized.Spec.Containers[0].Resources.Requests["memory"].ToString()));
    }

    [Fact]
    public async Task ResizePodAsync_LargerThanTheNode_Infeasible()
    {
        var (ns, pod) = await DeployAsync();

        var outcome = await actions.ResizePodAsync(ns, pod, [App("900", "384Mi") with { Limits = new ResourceAmounts { Cpu = Quantity.Parse("900"), Memory = Quantity.Parse("1Gi") } }], CancellationToken.None);

        Assert.Equal(ResizeOutcome.Infeasible, outcome);
    }

    [Fact]
    public async Task EvictPodAsync_NoBudgetInTheWay_Evicted()
    {
        var (ns, pod) = await DeployAsync();

        Assert.Equal(EvictionOutcome.Evicted, await actions.EvictPodAsync(ns, pod, CancellationToken.None));
    }

    [Fact]
    public async Task EvictPodAsync_BudgetAllowsNoDisruption_Blocked()
    {
        var (ns, pod) = await DeployAsync(replicas: 2);
        await cluster.Sandbox.Seed.ApplyAsync(Manifests.PodDisruptionBudget(ns, "web", new Dictionary<string, string> { ["app"] = "web" }, minAvailable: "2"));

        Assert.Equal(EvictionOutcome.Blocked, await actions.EvictPodAsync(ns, pod, CancellationToken.None));
    }

    [Fact]
    public async Task EvictPodAsync_PodGone_Gone()
    {
        var ns = await cluster.NewNamespaceAsync();

        Assert.Equal(EvictionOutcome.Gone, await actions.EvictPodAsync(ns, "missing", CancellationToken.None));
    }

    [Fact]
    public async Task SetAutoscalerFloorAsync_FirstFloor_SetsMinReplicasAndKeepsTheOriginalInTheAnnotation()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Sandbox.Seed.ApplyAsync(Manifests.HorizontalPodAutoscaler(ns, "web", "Deployment", "web", minReplicas: 2, maxReplicas: 8));
        var hpa = await cluster.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("web", ns);

        await actions.SetAutoscalerFloorAsync(ns, "web", 5, 2, hpa.Metadata.ResourceVersion, CancellationToken.None);

        var written = await cluster.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("web", ns);
        Assert.Equal((5, "2"), (written.Spec.MinReplicas, written.Metadata.Annotations[IScalingActions.OriginalMinReplicasAnnotation]));
    }

    [Fact]
    public async Task SetAutoscalerFloorAsync_OriginalUnset_AnnotationEmpty()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Sandbox.Seed.ApplyAsync(Manifests.HorizontalPodAutoscaler(ns, "web", "Deployment", "web", minReplicas: 1, maxReplicas: 8));
        var hpa = await cluster.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("web", ns);

        await actions.SetAutoscalerFloorAsync(ns, "web", 3, null, hpa.Metadata.ResourceVersion, CancellationToken.None);

        var written = await cluster.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("web", ns);
        Assert.Equal(string.Empty, written.Metadata.Annotations[IScalingActions.OriginalMinReplicasAnnotation]);
    }

    [Fact]
    public async Task SetAutoscalerFloorAsync_HpaChangedSinceItWasRead_ConflictAndNothingWritten()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Sandbox.Seed.ApplyAsync(Manifests.HorizontalPodAutoscaler(ns, "web", "Deployment", "web", minReplicas: 2, maxReplicas: 8));
        var stale = (await cluster.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("web", ns)).Metadata.ResourceVersion;
        await actions.SetAutoscalerFloorAsync(ns, "web", 4, 2, stale, CancellationToken.None);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => actions.SetAutoscalerFloorAsync(ns, "web", 6, 2, stale, CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal(4, (await cluster.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("web", ns)).Spec.MinReplicas);
    }
}
