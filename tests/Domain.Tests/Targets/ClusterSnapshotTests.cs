using Moq;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

/// <summary>One pass's view of the cluster: one target list, each namespace's objects listed once when first needed.</summary>
public sealed class ClusterSnapshotTests
{
    private readonly Mock<ITargetCluster> cluster = new();

    private static Workload Deployment(string name) =>
        new(ScaleTargetRef.Deployment, name, "w-" + name, 1, new Dictionary<string, string> { ["app"] = name }, new Dictionary<string, string>(), [ResolvedBuilder.App()])
        {
            Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
        };

    private Task<ClusterSnapshot> TakeAsync(TargetScope scope, params AIScaleTarget[] targets)
    {
        cluster.Setup(c => c.ListAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>())).ReturnsAsync(new TargetListing(targets, []));
        return ClusterSnapshot.TakeAsync(cluster.Object, scope, TimeSpan.FromSeconds(20), TimeProvider.System, CancellationToken.None);
    }

    [Fact]
    public async Task ResolveAsync_TargetsOfOneNamespace_ListsEachPartOnce()
    {
        var (web, api) = (TargetBuilder.Target("web").Build(), TargetBuilder.Target("api").Build());
        cluster.Setup(c => c.ListWorkloadsAsync("shop", ScaleTargetRef.Deployment, It.IsAny<CancellationToken>())).ReturnsAsync([Deployment("web"), Deployment("api")]);
        cluster.Setup(c => c.ListPodsAsync("shop", It.IsAny<CancellationToken>())).ReturnsAsync([ResolvedBuilder.Pod("web", 0), ResolvedBuilder.Pod("api", 0)]);
        var snapshot = await TakeAsync(TargetScope.All, web, api);

        var resolved = await Task.WhenAll(snapshot.Targets.Select(t => snapshot.ResolveAsync(t, TargetReads.Workload | TargetReads.Pods, CancellationToken.None)));

        Assert.Equal(["web-0", "api-0"], resolved.Select(r => r!.Pods.Single().Name));
        cluster.Verify(c => c.ListWorkloadsAsync("shop", ScaleTargetRef.Deployment, It.IsAny<CancellationToken>()), Times.Once);
        cluster.Verify(c => c.ListPodsAsync("shop", It.IsAny<CancellationToken>()), Times.Once);
        cluster.Verify(c => c.ListDisruptionBudgetsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ResolveAsync_NamespaceReadFails_EveryTargetThereGetsTheErrorFromOneCall()
    {
        cluster.Setup(c => c.ListWorkloadsAsync("shop", ScaleTargetRef.Deployment, It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("the API server answered 500"));
        var snapshot = await TakeAsync(TargetScope.All, TargetBuilder.Target("web").Build(), TargetBuilder.Target("api").Build());

        foreach (var target in snapshot.Targets)
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => snapshot.ResolveAsync(target, TargetReads.Workload, CancellationToken.None));
            Assert.Equal("the API server answered 500", error.Message);
        }

        cluster.Verify(c => c.ListWorkloadsAsync("shop", ScaleTargetRef.Deployment, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task TakeAsync_DeletingAndOutOfScopeTargets_LeftOut()
    {
        var snapshot = await TakeAsync(
            new TargetScope([], new HashSet<string>(StringComparer.Ordinal) { "uid-web", "uid-old" }),
            TargetBuilder.Target("web").Build(), TargetBuilder.Target("api").Build(), TargetBuilder.Target("old").Deleting().Build());

        Assert.Equal(["web"], snapshot.Targets.Select(t => t.Metadata.Name));
    }

    [Theory]
    [InlineData("shop", "uid-web", true)]
    [InlineData("other", "uid-web", false)]
    [InlineData("shop", "uid-api", false)]
    public void Includes_NamespacesAndUids_BothMustMatch(string ns, string uid, bool included)
    {
        var scope = new TargetScope(["shop"], new HashSet<string>(StringComparer.Ordinal) { "uid-web" });

        Assert.Equal(included, scope.Includes(new TargetMetadata { Namespace = ns, Name = "x", Uid = uid }));
    }

    [Fact]
    public void InNamespaces_Empty_EveryTarget()
    {
        Assert.True(TargetScope.InNamespaces([]).Includes(new TargetMetadata { Namespace = "any", Name = "x", Uid = "u" }));
    }
}
