using Moq;
using Thoras.Domain.Apply;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Pause;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Apply;

/// <summary>The executor carries out a plan item by item over mocked ports, and reports each item's outcome.</summary>
public sealed class ApplyExecutorTests
{
    private static readonly DateTimeOffset Now = TargetBuilder.Now;

    private readonly Mock<IScalingActions> actions = new();
    private readonly Mock<IEnrollmentStore> enrollments = new();
    private readonly Mock<IOomKillLedger> oomKills = new();
    private readonly Mock<IDisruptionLedger> disruptions = new();

    public ApplyExecutorTests()
    {
        enrollments.Setup(e => e.SaveAsync(It.IsAny<EnrolledTarget>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((EnrolledTarget r, CancellationToken _) => r with { ETag = "etag-saved" });
        actions.Setup(a => a.ResizePodAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IReadOnlyList<ContainerResources>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(ResizeOutcome.Applied);
        actions.Setup(a => a.EvictPodAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(EvictionOutcome.Evicted);
    }

    private ApplyExecutor Executor => new(actions.Object, enrollments.Object, oomKills.Object, disruptions.Object);

    private static TargetApplyPlan PlanFor(UpdateMode mode, int pods, int maxDisrupted = 1, int? pdb = null)
    {
        var target = TargetBuilder.Target("web").Vertical(TargetMode.Autonomous, mode).WithDisruption(maxDisrupted, TimeSpan.FromHours(1)).WithSuggestion("s1", cpu: "400m").Build();
        var resolved = ResolvedBuilder.For(target).WithPods(pods);
        if (pdb is { } allows)
            resolved = resolved.WithPdb(allows);
        var snapshot = new ApplySnapshot([target], new Dictionary<string, ResolvedTarget?> { [target.Metadata.Uid] = resolved.Build() }, new Dictionary<string, string>());
        return ApplyPlanner.PlanTarget(target, snapshot, GateDecision.Apply, null, ApplyLedgers.Empty, Now);
    }

    [Fact]
    public async Task ExecuteAsync_InPlace_SavesTheBaselineThenResizesEachPod()
    {
        var outcome = await Executor.ExecuteAsync(PlanFor(UpdateMode.InPlace, 2), Now, CancellationToken.None);

        Assert.Equal([ApplyItemStatus.Done, ApplyItemStatus.Resized, ApplyItemStatus.Resized], outcome.Outcomes.Select(o => o.Status));
        Assert.Equal("etag-saved", outcome.Saved!.ETag);
        actions.Verify(a => a.ResizePodAsync("shop", It.IsAny<string>(), It.IsAny<IReadOnlyList<ContainerResources>>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Theory]
    [InlineData(ResizeOutcome.Deferred, ApplyItemStatus.Deferred)]
    [InlineData(ResizeOutcome.Infeasible, ApplyItemStatus.Infeasible)]
    public async Task ExecuteAsync_KubeletCannotResizeNow_ReportedAsSuch(ResizeOutcome resize, ApplyItemStatus status)
    {
        actions.Setup(a => a.ResizePodAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IReadOnlyList<ContainerResources>>(), It.IsAny<CancellationToken>())).ReturnsAsync(resize);

        var outcome = await Executor.ExecuteAsync(PlanFor(UpdateMode.InPlace, 1), Now, CancellationToken.None);

        Assert.Equal(status, outcome.Outcomes[^1].Status);
        actions.Verify(a => a.EvictPodAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ExecuteAsync_InfeasibleWhereRecreationIsAllowed_EvictsWithinTheAllowanceAndTheRestWait()
    {
        actions.Setup(a => a.ResizePodAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IReadOnlyList<ContainerResources>>(), It.IsAny<CancellationToken>())).ReturnsAsync(ResizeOutcome.Infeasible);

        var outcome = await Executor.ExecuteAsync(PlanFor(UpdateMode.InPlaceOrRecreate, 2, maxDisrupted: 1), Now, CancellationToken.None);

        Assert.Equal([ApplyItemStatus.Done, ApplyItemStatus.Evicted, ApplyItemStatus.Waiting], outcome.Outcomes.Select(o => o.Status));
        Assert.Equal("at most 1 eviction(s) per 1h0m0s", outcome.Outcomes[^1].Detail);
        disruptions.Verify(d => d.RecordAsync("uid-web", "web-0", Now, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ExecuteAsync_EvictionApiRefuses_LaterPodsWaitWithoutACall()
    {
        actions.Setup(a => a.EvictPodAsync(It.IsAny<string>(), "web-0", It.IsAny<CancellationToken>())).ReturnsAsync(EvictionOutcome.Blocked);

        var outcome = await Executor.ExecuteAsync(PlanFor(UpdateMode.Recreate, 3, maxDisrupted: 5), Now, CancellationToken.None);

        Assert.Equal([ApplyItemStatus.Done, ApplyItemStatus.Waiting, ApplyItemStatus.Waiting, ApplyItemStatus.Waiting], outcome.Outcomes.Select(o => o.Status));
        actions.Verify(a => a.EvictPodAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ExecuteAsync_PdbStatusAllowsNone_NoEvictionCallAtAll()
    {
        var outcome = await Executor.ExecuteAsync(PlanFor(UpdateMode.Recreate, 2, maxDisrupted: 5, pdb: 0), Now, CancellationToken.None);

        Assert.All(outcome.Outcomes.Skip(1), o => Assert.Equal((ApplyItemStatus.Waiting, EvictionAllowance.BudgetReason), (o.Status, o.Detail)));
        actions.Verify(a => a.EvictPodAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ExecuteAsync_PodAlreadyGone_DoneWithoutRecordingADisruption()
    {
        actions.Setup(a => a.EvictPodAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(EvictionOutcome.Gone);

        var outcome = await Executor.ExecuteAsync(PlanFor(UpdateMode.Recreate, 1), Now, CancellationToken.None);

        Assert.Equal(ApplyItemStatus.Gone, outcome.Outcomes[^1].Status);
        disruptions.Verify(d => d.RecordAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ExecuteAsync_ItemThrows_FailedAndTheRestNotReached()
    {
        actions.Setup(a => a.ResizePodAsync(It.IsAny<string>(), "web-0", It.IsAny<IReadOnlyList<ContainerResources>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("the API server answered 500"));

        var outcome = await Executor.ExecuteAsync(PlanFor(UpdateMode.InPlace, 2), Now, CancellationToken.None);

        Assert.Equal([ApplyItemStatus.Done, ApplyItemStatus.Failed, ApplyItemStatus.NotReached], outcome.Outcomes.Select(o => o.Status));
        Assert.Equal("the API server answered 500", outcome.Outcomes[1].Detail);
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_Propagates()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Executor.ExecuteAsync(PlanFor(UpdateMode.InPlace, 1), Now, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task SaveAsync_AnotherWriterSavedTheRecord_WritesTheBaselineOntoItsVersion()
    {
        var plan = PlanFor(UpdateMode.InPlace, 1);
        var record = plan.Record! with { ETag = "etag-old" };
        var current = record with { VerticalMode = TargetMode.Recommendation, Vertical = null, ETag = "etag-new" };
        enrollments.Setup(e => e.SaveAsync(It.Is<EnrolledTarget>(r => r.ETag == "etag-old"), It.IsAny<CancellationToken>())).ThrowsAsync(new EnrollmentConflictException("changed"));
        enrollments.Setup(e => e.GetAsync(record.Key, It.IsAny<CancellationToken>())).ReturnsAsync(current);

        var saved = await Executor.SaveAsync(record, CancellationToken.None);

        Assert.Equal((TargetMode.Recommendation, "s1"), (saved.VerticalMode, saved.Vertical!.SuggestionUid));
    }
}
