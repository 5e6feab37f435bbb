using Moq;
using Thoras.Domain.Pause;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Pause;

public sealed class ClusterAutonomousTargetsTests
{
    private static AIScaleTarget Target(string ns, string name, TargetMode vertical, TargetMode? horizontal = null, bool deleting = false) =>
        new(
            new TargetMetadata { Namespace = ns, Name = name, Uid = $"uid-{ns}-{name}", DeletionTimestamp = deleting ? DateTimeOffset.UnixEpoch : null },
            new TargetSpec
            {
                ScaleTargetRef = new ScaleTargetRef { ApiVersion = "apps/v1", Kind = "Deployment", Name = name },
                Vertical = new VerticalSpec { Mode = vertical },
                Horizontal = horizontal is null ? null : new HorizontalSpec { Mode = horizontal.Value },
            },
            new TargetStatus());

    private static ClusterAutonomousTargets With(params AIScaleTarget[] targets)
    {
        var cluster = new Mock<ITargetCluster>();
        cluster.Setup(c => c.ListAsync(It.Is<IReadOnlyCollection<string>>(n => n.Count == 0), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TargetListing(targets, []));
        return new ClusterAutonomousTargets(cluster.Object);
    }

    [Fact]
    public async Task ListAsync_MixedModes_ReturnsOnlyAutonomousOrdered()
    {
        var source = With(
            Target("shop", "web", TargetMode.Autonomous),
            Target("shop", "api", TargetMode.Recommendation, TargetMode.Autonomous),
            Target("batch", "jobs", TargetMode.Recommendation, TargetMode.Recommendation),
            Target("a", "obs", TargetMode.Observation));

        var listed = await source.ListAsync(CancellationToken.None);

        Assert.Equal(["shop/api", "shop/web"], listed.Select(t => t.QualifiedName));
        Assert.Equal("uid-shop-api", listed[0].Uid);
    }

    [Fact]
    public async Task ListAsync_TargetBeingDeleted_IsNotAffected()
    {
        var source = With(Target("shop", "web", TargetMode.Autonomous, deleting: true));

        Assert.Empty(await source.ListAsync(CancellationToken.None));
    }
}
