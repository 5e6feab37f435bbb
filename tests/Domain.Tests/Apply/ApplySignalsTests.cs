using Moq;
using Thoras.Domain.Apply;
using Thoras.Domain.Events;
using Thoras.Domain.Pause;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Thoras.TestSupport.Telemetry;
using Xunit;

namespace Thoras.Domain.Tests.Apply;

/// <summary>The events and counters of an apply pass, from real plans and the outcomes an executor would report.</summary>
public sealed class ApplySignalsTests
{
    private static readonly DateTimeOffset Now = TargetBuilder.Now;

    private static TargetApplyPlan PlanOf(AIScaleTarget target, ResolvedTarget resolved, GateDecision? gate = null)
    {
        var snapshot = new ApplySnapshot([target], new Dictionary<string, ResolvedTarget?> { [target.Metadata.Uid] = resolved }, new Dictionary<string, string>());
        return ApplyPlanner.PlanTarget(target, snapshot, gate ?? GateDecision.Apply, null, ApplyLedgers.Empty, Now);
    }

    private static TargetApplyPlan Vertical(UpdateMode mode, int pods, string ns = "shop")
    {
        var target = TargetBuilder.Target("web", ns).Vertical(TargetMode.Autonomous, mode).WithSuggestion("s1", cpu: "400m").Build();
        return PlanOf(target, ResolvedBuilder.For(target).WithPods(pods).Build());
    }

    /// <summary>Every item done, except the pods, which get <paramref name="pods"/> in order.</summary>
    private static List<ApplyItemOutcome> Outcomes(TargetApplyPlan plan, params ApplyItemStatus[] pods)
    {
        var next = 0;
        return [.. plan.Items.Select(i => i is ResizePod or EvictPod ? new ApplyItemOutcome(i, pods[next++]) : new ApplyItemOutcome(i, i is Refusal ? ApplyItemStatus.Refused : ApplyItemStatus.Done))];
    }

    private static TargetApplyResult Result(TargetApplyPlan plan, ApplyOutcome outcome = ApplyOutcome.Applied, string detail = "done") => new(plan.Key, outcome, detail);

    private static Task RecordAsync(ApplySignals signals, TargetApplyPlan plan, List<ApplyItemOutcome> outcomes, ApplyOutcome outcome = ApplyOutcome.Applied) =>
        signals.RecordAsync(
            new ApplyPlan(GateDecision.Apply, Now, [plan]),
            new Dictionary<TargetKey, IReadOnlyList<ApplyItemOutcome>> { [plan.Key] = outcomes },
            [Result(plan, outcome)],
            CancellationToken.None);

    [Fact]
    public void EventsOf_PodsResizedAndDeferred_OneResizedInPlaceOnTheTargetAndItsDeployment()
    {
        var plan = Vertical(UpdateMode.InPlace, pods: 2);

        var events = ApplySignals.EventsOf(plan, Outcomes(plan, ApplyItemStatus.Resized, ApplyItemStatus.Deferred), Result(plan));

        var resized = Assert.Single(events);
        Assert.Equal((EventReasons.ResizedInPlace, false, "uid-web"), (resized.Reason, resized.Warning, resized.TargetUid));
        Assert.Equal(new WorkloadReference("apps/v1", "Deployment", "web"), resized.Workload);
        Assert.Equal("Resized 2 pod(s) in place to suggestion s1: web-0, web-1 (1 deferred by the kubelet until the node has room).", resized.Note);
    }

    [Fact]
    public void EventsOf_PodsEvicted_OneEvictedEventNamingThem()
    {
        var plan = Vertical(UpdateMode.Recreate, pods: 2);

        var events = ApplySignals.EventsOf(plan, Outcomes(plan, ApplyItemStatus.Evicted, ApplyItemStatus.Waiting), Result(plan, ApplyOutcome.InProgress));

        var evicted = Assert.Single(events);
        Assert.Equal(EventReasons.Evicted, evicted.Reason);
        Assert.Equal("Evicted 1 pod(s) so they are recreated with suggestion s1: web-0.", evicted.Note);
    }

    [Fact]
    public void EventsOf_ResizeInfeasibleWithoutEviction_WarnsThatThePodKeepsItsRequests()
    {
        var plan = Vertical(UpdateMode.InPlace, pods: 1);

        var events = ApplySignals.EventsOf(plan, Outcomes(plan, ApplyItemStatus.Infeasible), Result(plan));

        var infeasible = Assert.Single(events);
        Assert.Equal((EventReasons.ResizeInfeasible, true), (infeasible.Reason, infeasible.Warning));
        Assert.Contains("update_mode in_place does not allow eviction", infeasible.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void EventsOf_HpaFloorSet_IsRecordedOnTheHpa()
    {
        var target = TargetBuilder.Target("web").Horizontal(TargetMode.Autonomous).WithSuggestion("s1", replicas: 4).Build();
        var plan = PlanOf(target, ResolvedBuilder.For(target).WithHpa(2, 10).Build());

        var events = ApplySignals.EventsOf(plan, Outcomes(plan), Result(plan));

        var floor = Assert.Single(events);
        Assert.Equal(EventReasons.HpaFloorSet, floor.Reason);
        Assert.Equal(WorkloadReference.Autoscaler("web"), floor.Workload);
        Assert.Equal("Set the minReplicas of HPA web from 2 to 4 (suggestion s1); the original 2 is restored on revert.", floor.Note);
    }

    [Fact]
    public void EventsOf_NewOomKill_WarnsThatTheMemoryFloorWasRaised()
    {
        var target = TargetBuilder.Target("web").Vertical(TargetMode.Autonomous, UpdateMode.InPlace).WithSuggestion("s1", cpu: "400m").Build();
        var killed = ResolvedBuilder.Pod("web", 0, ResolvedBuilder.App() with { RestartCount = 1, LastTerminationReason = "OOMKilled" });
        var plan = PlanOf(target, ResolvedBuilder.For(target).WithPods(killed).Build());

        var events = ApplySignals.EventsOf(plan, Outcomes(plan, ApplyItemStatus.Resized), Result(plan));

        var oom = Assert.Single(events, e => e.Reason == EventReasons.OomFloorRaised);
        Assert.True(oom.Warning);
        Assert.StartsWith("Container app of pod pod-0 was OOM-killed: memory at least", oom.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void EventsOf_TargetFailed_WarnsApplyFailedWithTheError()
    {
        var plan = Vertical(UpdateMode.InPlace, pods: 1);

        var events = ApplySignals.EventsOf(plan, Outcomes(plan, ApplyItemStatus.Failed), Result(plan, ApplyOutcome.Failed, "pods/resize answered 500"));

        var failed = Assert.Single(events);
        Assert.Equal((EventReasons.ApplyFailed, true), (failed.Reason, failed.Warning));
        Assert.EndsWith(": pods/resize answered 500", failed.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void EventsOf_RefusedWhilePaused_RecordsNothing()
    {
        var target = TargetBuilder.Target("web").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "400m").Build();
        var plan = PlanOf(target, ResolvedBuilder.For(target).WithPods(1).Build(), GateDecision.DoNotApply("paused by manual (alice)"));

        var events = ApplySignals.EventsOf(plan, Outcomes(plan), Result(plan, ApplyOutcome.NotApplied));

        Assert.Empty(events);
    }

    [Fact]
    public async Task RecordAsync_PodsResized_RecordsTheEventAndCountsThePods()
    {
        var plan = Vertical(UpdateMode.InPlace, pods: 2, ns: "signals-test");
        var recorder = new Mock<IEventRecorder>();
        using var metrics = new MetricReader("thoras_vertical_scale_total");

        await RecordAsync(new ApplySignals(recorder.Object), plan, Outcomes(plan, ApplyItemStatus.Resized, ApplyItemStatus.Resized));

        recorder.Verify(r => r.RecordAsync(It.Is<TargetEvent>(e => e.Reason == EventReasons.ResizedInPlace), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal([(2.0, "namespace=signals-test,target=web,action=resize")], metrics.Of("thoras_vertical_scale_total", "namespace=signals-test,"));
    }

    [Fact]
    public async Task RecordAsync_PodsEvicted_CountsOnlyTheEvictedOnes()
    {
        var plan = Vertical(UpdateMode.Recreate, pods: 2, ns: "signals-evict");
        using var metrics = new MetricReader("thoras_vertical_scale_total");

        await RecordAsync(new ApplySignals(null), plan, Outcomes(plan, ApplyItemStatus.Evicted, ApplyItemStatus.Waiting), ApplyOutcome.InProgress);

        Assert.Equal([(1.0, "namespace=signals-evict,target=web,action=evict")], metrics.Of("thoras_vertical_scale_total", "namespace=signals-evict,"));
    }

    [Fact]
    public async Task RecordAsync_HpaFloorSet_CountsOneFloorSet()
    {
        var target = TargetBuilder.Target("web", "signals-floor").Horizontal(TargetMode.Autonomous).WithSuggestion("s1", replicas: 4).Build();
        var plan = PlanOf(target, ResolvedBuilder.For(target).WithHpa(2, 10).Build());
        using var metrics = new MetricReader("thoras_horizontal_scale_total");

        await RecordAsync(new ApplySignals(null), plan, Outcomes(plan));

        Assert.Equal([(1.0, "namespace=signals-floor,target=web,action=floor_set")], metrics.Of("thoras_horizontal_scale_total", "namespace=signals-floor,"));
    }

    [Fact]
    public async Task RecordAsync_NewOomKill_CountsOneKillOfTheContainer()
    {
        var target = TargetBuilder.Target("web", "signals-oom").Vertical(TargetMode.Autonomous, UpdateMode.InPlace).WithSuggestion("s1", cpu: "400m").Build();
        var killed = ResolvedBuilder.Pod("web", 0, ResolvedBuilder.App() with { RestartCount = 1, LastTerminationReason = "OOMKilled" });
        var plan = PlanOf(target, ResolvedBuilder.For(target).WithPods(killed).Build());
        using var metrics = new MetricReader("thoras_workload_oom_killed_total");

        await RecordAsync(new ApplySignals(null), plan, Outcomes(plan, ApplyItemStatus.Resized));

        Assert.Equal([(1.0, "namespace=signals-oom,target=web,container=app")], metrics.Of("thoras_workload_oom_killed_total", "namespace=signals-oom,"));
    }
}
