using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Enrollment;

public sealed class RevertAnnotationsTests
{
    [Theory]
    [InlineData("3", true, 3)]
    [InlineData(" 12 ", true, 12)]
    [InlineData("", true, null)]
    [InlineData("0", false, null)]
    [InlineData("-2", false, null)]
    [InlineData("two", false, null)]
    public void TryReadOriginalMinReplicas_Value_ReadsWhatTheApplyStageWrote(string text, bool readable, int? expected)
    {
        var annotations = new Dictionary<string, string> { [RevertAnnotations.OriginalMinReplicas] = text };

        var read = RevertAnnotations.TryReadOriginalMinReplicas(annotations, out var value);

        Assert.Equal((readable, expected), (read, value));
    }

    [Fact]
    public void TryReadOriginalMinReplicas_NoAnnotation_False()
    {
        Assert.False(RevertAnnotations.TryReadOriginalMinReplicas(new Dictionary<string, string>(), out _));
    }
}

public sealed class TargetDataPurgerTests
{
    [Fact]
    public async Task PurgeAsync_SeveralStores_DeletesTheUidFromEachAndCounts()
    {
        var samples = new Mock<ITargetDataStore>();
        samples.Setup(s => s.DeleteAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(3);
        var models = new Mock<ITargetDataStore>();
        models.Setup(s => s.DeleteAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(2);

        var deleted = await new TargetDataPurger([samples.Object, models.Object]).PurgeAsync("u1", CancellationToken.None);

        Assert.Equal(5, deleted);
        models.Verify(s => s.DeleteAsync("u1", It.IsAny<CancellationToken>()), Times.Once);
    }
}

public sealed class WorkloadRevertTests
{
    private static readonly TargetKey Key = new("shop", "web");
    private readonly Mock<ICleanupCluster> _cluster = new();
    private readonly Mock<IEnrollmentStore> _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero));

    private WorkloadRevert Revert => new(_cluster.Object, _store.Object, _time);

    private static ResolvedTarget Resolved(Workload? workload, params HorizontalAutoscaler[] autoscalers)
    {
        var target = new AIScaleTarget(
            new TargetMetadata { Namespace = "shop", Name = "web", Uid = "u1" },
            new TargetSpec { Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } } },
            new TargetStatus());
        return new ResolvedTarget(target, workload, new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } }, [], autoscalers, []);
    }

    private static Workload Deployment() =>
        new("Deployment", "web", "w1", 2, new Dictionary<string, string>(), new Dictionary<string, string>(), []);

    private EnrolledTarget Stored(EnrolledTarget record)
    {
        _store.Setup(s => s.GetAsync(Key, It.IsAny<CancellationToken>())).ReturnsAsync(() => record);
        _store.Setup(s => s.SaveAsync(It.IsAny<EnrolledTarget>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((EnrolledTarget saved, CancellationToken _) => record = saved);
        return record;
    }

    private static EnrolledTarget Record(VerticalBaseline? vertical = null, HorizontalBaseline? horizontal = null) => new()
    {
        Key = Key,
        Uid = "u1",
        EnrolledAt = DateTimeOffset.UnixEpoch,
        Vertical = vertical,
        Horizontal = horizontal,
    };

    private static VerticalBaseline Applied() => new("s1", DateTimeOffset.UnixEpoch, [], []);

    [Fact]
    public async Task RevertAsync_VerticalApplied_RestartsTheWorkloadAndClearsTheBaseline()
    {
        var record = Stored(Record(vertical: Applied()));
        _cluster.Setup(c => c.RestartWorkloadAsync("shop", "Deployment", "web", _time.GetUtcNow(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var (saved, outcome) = await Revert.RevertAsync(Key, record, Resolved(Deployment()), [ScalingDirection.Vertical], CancellationToken.None);

        Assert.Equal(("Deployment/web", (VerticalBaseline?)null), (outcome.Restarted, saved!.Vertical));
    }

    [Fact]
    public async Task RevertAsync_NothingApplied_RestartsNothing()
    {
        var record = Stored(Record());

        var (_, outcome) = await Revert.RevertAsync(Key, record, Resolved(Deployment()), ScalingDirections.All, CancellationToken.None);

        Assert.False(outcome.ChangedAnything);
        _cluster.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task RevertAsync_SelectorTarget_CannotRestartAndSaysWhy()
    {
        var record = Stored(Record(vertical: Applied()));

        var (saved, outcome) = await Revert.RevertAsync(Key, record, Resolved(null), [ScalingDirection.Vertical], CancellationToken.None);

        Assert.Null(outcome.Restarted);
        Assert.Contains("no Deployment or StatefulSet", Assert.Single(outcome.Notes), StringComparison.Ordinal);
        Assert.Null(saved!.Vertical);
    }

    [Fact]
    public async Task RevertAsync_HorizontalBaseline_RestoresItsOriginalMinReplicas()
    {
        var record = Stored(Record(horizontal: new HorizontalBaseline("web-hpa", 2, 6, "s1", DateTimeOffset.UnixEpoch)));
        _cluster.Setup(c => c.RestoreMinReplicasAsync("shop", "web-hpa", 2, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var (saved, outcome) = await Revert.RevertAsync(Key, record, null, [ScalingDirection.Horizontal], CancellationToken.None);

        Assert.Equal((new RestoredFloor("web-hpa", 6, 2), (HorizontalBaseline?)null), (outcome.RestoredFloor, saved!.Horizontal));
    }

    [Fact]
    public async Task RevertAsync_FloorWithoutBaseline_RestoresFromTheHpaAnnotation()
    {
        var hpa = new HorizontalAutoscaler("web", 7, 10, new Dictionary<string, string> { [RevertAnnotations.OriginalMinReplicas] = "3" }, "1");
        _cluster.Setup(c => c.RestoreMinReplicasAsync("shop", "web", 3, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var (_, outcome) = await Revert.RevertAsync(Key, null, Resolved(Deployment(), hpa), ScalingDirections.All, CancellationToken.None);

        Assert.Equal(new RestoredFloor("web", 7, 3), outcome.RestoredFloor);
    }
}
