using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Events;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Thoras.TestSupport.Telemetry;
using Xunit;

namespace Thoras.Domain.Tests.Enrollment;

/// <summary>The revert and unenroll events, through a real <see cref="WorkloadRevert"/> over mocked ports.</summary>
public sealed class EnrollmentSignalsTests
{
    private static readonly TargetKey Key = new("shop", "web");
    private readonly Mock<ICleanupCluster> _cluster = new();
    private readonly Mock<IEnrollmentStore> _store = new();
    private readonly Mock<IEventRecorder> _events = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero));

    private WorkloadRevert Revert => new(_cluster.Object, _store.Object, _time, new EnrollmentSignals(_events.Object));

    private static ResolvedTarget Resolved()
    {
        var target = new AIScaleTarget(
            new TargetMetadata { Namespace = "shop", Name = "web", Uid = "u1" },
            new TargetSpec { ScaleTargetRef = new ScaleTargetRef { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web" } },
            new TargetStatus());
        var workload = new Workload("Deployment", "web", "w1", 2, new Dictionary<string, string>(), new Dictionary<string, string>(), []);
        return new ResolvedTarget(target, workload, new LabelSelector(), [], [], []);
    }

    private EnrolledTarget Stored(VerticalBaseline? vertical = null, HorizontalBaseline? horizontal = null)
    {
        var record = new EnrolledTarget { Key = Key, Uid = "u1", EnrolledAt = DateTimeOffset.UnixEpoch, Vertical = vertical, Horizontal = horizontal };
        _store.Setup(s => s.GetAsync(Key, It.IsAny<CancellationToken>())).ReturnsAsync(() => record);
        _store.Setup(s => s.SaveAsync(It.IsAny<EnrolledTarget>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((EnrolledTarget saved, CancellationToken _) => record = saved);
        return record;
    }

    [Fact]
    public async Task RevertAsync_VerticalRestarted_RecordsRestartedToRevertOnTheTargetAndTheDeployment()
    {
        var record = Stored(vertical: new VerticalBaseline("s1", DateTimeOffset.UnixEpoch, [], []));
        _cluster.Setup(c => c.RestartWorkloadAsync("shop", "Deployment", "web", It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        await Revert.RevertAsync(Key, record, Resolved(), [ScalingDirection.Vertical], CancellationToken.None);

        _events.Verify(e => e.RecordAsync(
            It.Is<TargetEvent>(t => t.Reason == EventReasons.RestartedToRevert && t.TargetUid == "u1" && t.Workload == new WorkloadReference("apps/v1", "Deployment", "web", "w1")),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RevertAsync_FloorRestored_RecordsHpaFloorRestoredOnTheHpa()
    {
        var record = Stored(horizontal: new HorizontalBaseline("web-hpa", 2, 6, "s1", DateTimeOffset.UnixEpoch));
        _cluster.Setup(c => c.RestoreMinReplicasAsync("shop", "web-hpa", 2, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        await Revert.RevertAsync(Key, record, null, [ScalingDirection.Horizontal], CancellationToken.None);

        _events.Verify(e => e.RecordAsync(
            It.Is<TargetEvent>(t => t.Reason == EventReasons.HpaFloorRestored && t.Workload == WorkloadReference.Autoscaler("web-hpa")
                && t.Note == "Restored the original minReplicas 2 of HPA web-hpa: the predictive floor is removed."),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RevertAsync_NothingApplied_RecordsNothing()
    {
        var record = Stored();

        await Revert.RevertAsync(Key, record, Resolved(), ScalingDirections.All, CancellationToken.None);

        _events.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task UnenrolledAsync_WorkloadRestarted_RecordsUnenrolledOnTheTargetAndItsWorkload()
    {
        var result = new UnenrollResult(Key, "u1", new RevertOutcome { Restarted = "Deployment/web" }, PurgedItems: 12, FinalizerRemoved: true);

        await new EnrollmentSignals(_events.Object).UnenrolledAsync(result, Resolved().Target, CancellationToken.None);

        _events.Verify(e => e.RecordAsync(
            It.Is<TargetEvent>(t => t.Reason == EventReasons.Unenrolled && t.Workload == new WorkloadReference("apps/v1", "Deployment", "web", null)
                && t.Note == "Unenrolled: restarted Deployment/web; 12 stored row(s) and blob(s) of the target deleted."),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RevertedAsync_RestartedAndFloorRestored_CountsTheRunningPodsAndOneRestoredFloor()
    {
        var target = TargetBuilder.Target("web", "revert-metrics").Vertical(TargetMode.Autonomous).Build();
        var outcome = new RevertOutcome { Restarted = "Deployment/web", RestoredFloor = new RestoredFloor("web", 6, 2) };
        using var metrics = new MetricReader("thoras_vertical_scale_total", "thoras_horizontal_scale_total");

        await new EnrollmentSignals(_events.Object).RevertedAsync(target.Key, "u1", ResolvedBuilder.For(target).WithPods(3).Build(), outcome, CancellationToken.None);

        Assert.Equal([(3.0, "namespace=revert-metrics,target=web,action=restart")], metrics.Of("thoras_vertical_scale_total", "namespace=revert-metrics,"));
        Assert.Equal([(1.0, "namespace=revert-metrics,target=web,action=floor_restored")], metrics.Of("thoras_horizontal_scale_total", "namespace=revert-metrics,"));
    }
}
