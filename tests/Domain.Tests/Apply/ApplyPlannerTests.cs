using Thoras.Domain.Apply;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Pause;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Apply;

/// <summary>Every decision of the apply planner, on hand-built snapshots: no I/O, no mocks.</summary>
public sealed class ApplyPlannerTests
{
    private static readonly DateTimeOffset Now = TargetBuilder.Now;
    private static readonly GateDecision Paused = GateDecision.DoNotApply("paused by manual (alice: freeze)");

    private static TargetBuilder Vertical(UpdateMode? mode = null) => TargetBuilder.Target("web").Vertical(TargetMode.Autonomous, mode);

    private static TargetBuilder Horizontal() => TargetBuilder.Target("web").Horizontal(TargetMode.Autonomous);

    private static ApplySnapshot Snapshot(AIScaleTarget target, ResolvedTarget? resolved, bool read = true) => new(
        [target],
        read ? new Dictionary<string, ResolvedTarget?> { [target.Metadata.Uid] = resolved } : new Dictionary<string, ResolvedTarget?>(),
        new Dictionary<string, string>());

    private static TargetApplyPlan Plan(AIScaleTarget target, ResolvedTarget? resolved, GateDecision? gate = null, EnrolledTarget? record = null, ApplyLedgers? ledgers = null) =>
        ApplyPlanner.PlanTarget(target, Snapshot(target, resolved), gate ?? GateDecision.Apply, record, ledgers ?? ApplyLedgers.Empty, Now);

    private static EnrolledTarget Record(AIScaleTarget target, VerticalBaseline? vertical = null, HorizontalBaseline? horizontal = null) => new()
    {
        Key = target.Key,
        Uid = target.Metadata.Uid,
        EnrolledAt = Now.AddDays(-1),
        Vertical = vertical,
        Horizontal = horizontal,
        ETag = "etag-1",
    };

    /// <summary>A target that is refused: the refusal, the Scaling condition's reason (null: none written) and the detail's start.</summary>
    public sealed record RefusalCase(string Name, AIScaleTarget Target, Func<AIScaleTarget, ResolvedTarget?> Resolve, GateDecision Gate, Ineligibility Why, string? ConditionReason, string DetailStart)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<RefusalCase> Refusals => new()
    {
        new("recommendation mode", TargetBuilder.Target().Vertical(TargetMode.Recommendation).WithSuggestion("s1", cpu: "400m").Build(),
            t => ResolvedBuilder.For(t).WithPods(1).Build(), GateDecision.Apply, Ineligibility.NotAutonomous, TargetConditionReasons.NotAutonomous, "recommendation mode"),
        new("observation mode", TargetBuilder.Target().Vertical(TargetMode.Observation).Build(),
            t => ResolvedBuilder.For(t).Build(), GateDecision.Apply, Ineligibility.NotAutonomous, TargetConditionReasons.NotAutonomous, "observation mode"),
        new("no suggestion yet", Vertical().Build(),
            t => ResolvedBuilder.For(t).WithPods(1).Build(), GateDecision.Apply, Ineligibility.NoSuggestion, TargetConditionReasons.NotEnoughData, "no suggestion"),
        new("not enough data", Vertical().WithSuggestion("s1", cpu: "400m", enoughData: false).Build(),
            t => ResolvedBuilder.For(t).WithPods(1).Build(), GateDecision.Apply, Ineligibility.NotEnoughData, TargetConditionReasons.NotEnoughData, "not enough data"),
        new("paused", Vertical().WithSuggestion("s1", cpu: "400m").Build(),
            t => ResolvedBuilder.For(t).WithPods(1).Build(), Paused, Ineligibility.Paused, TargetConditionReasons.Paused, "paused by manual"),
        new("pause state unreadable", Vertical().WithSuggestion("s1", cpu: "400m").Build(),
            t => ResolvedBuilder.For(t).WithPods(1).Build(), GateDecision.DoNotApply("the pause mirror ConfigMap thoras/thoras-operator-system-config cannot be read: maybe"),
            Ineligibility.Paused, TargetConditionReasons.Paused, "the pause mirror ConfigMap"),
        new("workload missing", Vertical().WithSuggestion("s1", cpu: "400m").Build(),
            _ => null, GateDecision.Apply, Ineligibility.WorkloadMissing, null, "its workload does not exist"),
        new("horizontal without an HPA", Horizontal().WithSuggestion("s1", replicas: 4).Build(),
            t => ResolvedBuilder.For(t).Build(), GateDecision.Apply, Ineligibility.NoSingleHpa, TargetConditionReasons.NoSingleHpa, "no single HPA: the workload has 0"),
        new("horizontal with two HPAs", Horizontal().WithSuggestion("s1", replicas: 4).Build(),
            t => ResolvedBuilder.For(t).WithHpa(1, 5).WithHpa(1, 5, name: "other").Build(), GateDecision.Apply, Ineligibility.NoSingleHpa, TargetConditionReasons.NoSingleHpa, "no single HPA: the workload has 2"),
        new("horizontal without a replica count", Horizontal().WithSuggestion("s1").Build(),
            t => ResolvedBuilder.For(t).WithHpa(1, 5).Build(), GateDecision.Apply, Ineligibility.NoReplicaCount, TargetConditionReasons.NotEnoughData, "the suggestion has no replica count"),
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void PlanTarget_Ineligible_RefusesWithItsConditionAndReason(RefusalCase c)
    {
        var plan = Plan(c.Target, c.Resolve(c.Target), c.Gate);

        var refusal = Assert.IsType<Refusal>(Assert.Single(plan.Items));
        Assert.Equal((ApplyDecision.Refused, c.Why, c.ConditionReason), (plan.Decision, refusal.Why, refusal.Condition?.Reason));
        Assert.StartsWith(c.DetailStart, plan.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanTarget_ReadFailed_FailsWithTheError()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m").Build();
        var snapshot = new ApplySnapshot([target], new Dictionary<string, ResolvedTarget?>(), new Dictionary<string, string> { [target.Metadata.Uid] = "listing the pods of namespace shop failed" });

        var plan = ApplyPlanner.PlanTarget(target, snapshot, GateDecision.Apply, null, ApplyLedgers.Empty, Now);

        Assert.Equal((ApplyDecision.Failed, "listing the pods of namespace shop failed"), (plan.Decision, plan.Detail));
    }

    [Fact]
    public void PlanTarget_PausedTargetNotRead_RefusedWithoutItsWorkload()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m").Build();

        var plan = ApplyPlanner.PlanTarget(target, Snapshot(target, null, read: false), Paused, null, ApplyLedgers.Empty, Now);

        Assert.Equal(ApplyDecision.Refused, plan.Decision);
    }

    /// <summary>Which parts of a target's surroundings the load step reads for it.</summary>
    public sealed record ReadsCase(string Name, AIScaleTarget Target, GateDecision Gate, TargetReads? Reads)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<ReadsCase> ReadCases => new()
    {
        new("vertical in place: workload and pods", Vertical().WithSuggestion("s1", cpu: "1").Build(), GateDecision.Apply, TargetReads.Workload | TargetReads.Pods),
        new("vertical recreate: also PDBs", Vertical(UpdateMode.Recreate).WithSuggestion("s1", cpu: "1").Build(), GateDecision.Apply, TargetReads.Workload | TargetReads.Pods | TargetReads.DisruptionBudgets),
        new("horizontal: workload and HPAs", Horizontal().WithSuggestion("s1", replicas: 3).Build(), GateDecision.Apply, TargetReads.Workload | TargetReads.Autoscalers),
        new("paused: nothing", Vertical().WithSuggestion("s1", cpu: "1").Build(), Paused, null),
        new("recommendation mode: nothing", TargetBuilder.Target().Vertical(TargetMode.Recommendation).WithSuggestion("s1", cpu: "1").Build(), GateDecision.Apply, null),
        new("no suggestion: nothing", Vertical().Build(), GateDecision.Apply, null),
    };

    [Theory]
    [MemberData(nameof(ReadCases))]
    public void ReadsFor_Target_ReadsOnlyWhatThePlanNeeds(ReadsCase c)
    {
        Assert.Equal(c.Reads, ApplyPlanner.ReadsFor(c.Target, c.Gate));
    }

    [Fact]
    public void PlanTarget_PodsOnTheControllerSpec_ResizesEachInPlaceAndSavesTheBaselineFirst()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m", memory: "384Mi").Build();

        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(2).Build());

        Assert.Equal(ApplyDecision.Vertical, plan.Decision);
        Assert.Equal([ApplyItemKind.SaveBaseline, ApplyItemKind.ResizePod, ApplyItemKind.ResizePod], plan.Items.Select(i => i.Kind));
        var resize = plan.Items.OfType<ResizePod>().First();
        Assert.Equal(("400m", "384Mi", false), (resize.Desired[0].Requests.Cpu.ToString(), resize.Desired[0].Requests.Memory.ToString(), resize.EvictIfInfeasible));
        Assert.Equal("s1", plan.Items.OfType<SaveBaseline>().Single().Record.Vertical!.SuggestionUid);
    }

    [Fact]
    public void PlanTarget_BaselineAlreadyStored_NotSavedBeforeActing()
    {
        var target = Vertical().WithSuggestion("s2", cpu: "400m").Build();
        var record = Record(target, new VerticalBaseline("s1", Now.AddHours(-1), [ResolvedBuilder.App()], ["pod-0"]));

        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(1).Build(), record: record);

        Assert.Equal([ApplyItemKind.ResizePod], plan.Items.Select(i => i.Kind));
        Assert.Empty(plan.Record!.Vertical!.DonePods);
    }

    [Fact]
    public void PlanTarget_PodAlreadyHasTheSuggestion_KeptWithoutAResize()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "250m", memory: "256Mi").Build();

        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(1).Build());

        Assert.Equal([ApplyItemKind.SaveBaseline, ApplyItemKind.KeepPod], plan.Items.Select(i => i.Kind));
    }

    [Fact]
    public void PlanTarget_PodDoneForThisSuggestion_NotTouchedAgain()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m").Build();
        var record = Record(target, new VerticalBaseline("s1", Now, [ResolvedBuilder.App()], ["pod-0"]));

        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(2).Build(), record: record);

        Assert.Equal(["web-1"], plan.Items.OfType<ResizePod>().Select(r => r.Pod.Name));
    }

    [Fact]
    public void PlanTarget_TerminatingAndFinishedPods_LeftOut()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m").Build();
        var resolved = ResolvedBuilder.For(target).WithPods(
            ResolvedBuilder.Pod("web", 0), ResolvedBuilder.Pod("web", 1, terminating: true), ResolvedBuilder.Pod("web", 2, phase: "Succeeded")).Build();

        var plan = Plan(target, resolved);

        Assert.Equal(["web-0"], plan.Items.OfType<ResizePod>().Select(r => r.Pod.Name));
        Assert.Equal(1, plan.RunningPods);
    }

    [Theory]
    [InlineData(UpdateMode.InPlace, ApplyItemKind.ResizePod, false)]
    [InlineData(UpdateMode.InPlaceOrRecreate, ApplyItemKind.ResizePod, true)]
    [InlineData(UpdateMode.Recreate, ApplyItemKind.EvictPod, false)]
    public void PlanTarget_UpdateMode_ResizesOrEvicts(UpdateMode mode, ApplyItemKind kind, bool evictIfInfeasible)
    {
        var target = Vertical(mode).WithSuggestion("s1", cpu: "400m").Build();

        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(1).Build());

        var item = plan.Items[^1];
        Assert.Equal((kind, evictIfInfeasible), (item.Kind, item is ResizePod r && r.EvictIfInfeasible));
    }

    [Fact]
    public void PlanTarget_UpdateModeInitial_TouchesNoRunningPod()
    {
        var target = Vertical(UpdateMode.Initial).WithSuggestion("s1", cpu: "400m").Build();

        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(2).Build());

        Assert.Equal([ApplyItemKind.SaveBaseline], plan.Items.Select(i => i.Kind));
    }

    [Fact]
    public void PlanTarget_VerticalAppliedToEveryPod_UpToDate()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m").WithLastProcessed("s1").Build();
        var record = Record(target, new VerticalBaseline("s1", Now, [ResolvedBuilder.App()], ["pod-0", "pod-1"]));

        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(2).Build(), record: record);

        Assert.Equal((ApplyDecision.UpToDate, "suggestion s1 is applied"), (plan.Decision, plan.Detail));
    }

    [Fact]
    public void PlanTarget_NewOomKill_RecordsItRaisesMemoryAndGoesThroughEveryPodAgain()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "250m", memory: "200Mi").WithLastProcessed("s1").Build();
        var killed = ResolvedBuilder.Pod("web", 0, ResolvedBuilder.App() with { RestartCount = 1, LastTerminationReason = "OOMKilled" });
        var record = Record(target, new VerticalBaseline("s1", Now, [ResolvedBuilder.App()], ["pod-0"]));

        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(killed).Build(), record: record);

        var kill = plan.Items.OfType<RecordOomKill>().Single().Kill;
        var resize = plan.Items.OfType<ResizePod>().Single();
        Assert.Equal(("pod-0", 1, "app"), (kill.PodUid, kill.RestartCount, kill.Floor.Container));
        Assert.True(resize.Desired[0].Requests.Memory!.Value.Amount >= 1.2m * 256 * 1024 * 1024, $"memory {resize.Desired[0].Requests.Memory}");
    }

    [Fact]
    public void PlanTarget_OomKillAlreadyRecorded_NotRecordedAgainButItsFloorHolds()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "250m", memory: "200Mi").Build();
        var killed = ResolvedBuilder.Pod("web", 0, ResolvedBuilder.App() with { RestartCount = 1, LastTerminationReason = "OOMKilled" });
        var floor = new OomFloor("app", Quantity.Parse("308Mi"), Now.AddMinutes(30));
        var ledgers = new ApplyLedgers(new Dictionary<string, IReadOnlyList<OomKill>> { ["uid-web"] = [new OomKill("pod-0", 1, floor)] }, new Dictionary<string, IReadOnlyList<DateTimeOffset>>());

        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(killed).Build(), ledgers: ledgers);

        Assert.Empty(plan.Items.OfType<RecordOomKill>());
        Assert.Equal("308Mi", plan.Items.OfType<ResizePod>().Single().Desired[0].Requests.Memory.ToString());
    }

    [Fact]
    public void PlanTarget_OomRemediationDisabled_KillIgnored()
    {
        var target = Vertical().WithOomRemediation(false).WithSuggestion("s1", cpu: "250m", memory: "200Mi").Build();
        var killed = ResolvedBuilder.Pod("web", 0, ResolvedBuilder.App() with { RestartCount = 1, LastTerminationReason = "OOMKilled" });

        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(killed).Build());

        Assert.Empty(plan.Items.OfType<RecordOomKill>());
        Assert.Equal("200Mi", plan.Items.OfType<ResizePod>().Single().Desired[0].Requests.Memory.ToString());
    }

    /// <summary>The eviction allowance: evictions left in the interval and what the PDBs allow.</summary>
    public sealed record AllowanceCase(string Name, int MaxDisrupted, int RecentEvictions, int? PdbAllows, int ByInterval, int ByBudget)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<AllowanceCase> Allowances => new()
    {
        new("none evicted yet, no PDB", 2, 0, null, 2, int.MaxValue),
        new("one of two already evicted", 2, 1, null, 1, int.MaxValue),
        new("interval spent", 1, 3, null, 0, int.MaxValue),
        new("PDB allows one", 5, 0, 1, 5, 1),
        new("PDB allows none", 5, 0, 0, 5, 0),
    };

    [Theory]
    [MemberData(nameof(Allowances))]
    public void PlanTarget_RecreateMode_AllowanceFromIntervalAndPdb(AllowanceCase c)
    {
        var target = Vertical(UpdateMode.Recreate).WithDisruption(c.MaxDisrupted, TimeSpan.FromHours(1)).WithSuggestion("s1", cpu: "400m").Build();
        var resolved = ResolvedBuilder.For(target).WithPods(2);
        if (c.PdbAllows is { } allows)
            resolved = resolved.WithPdb(allows);
        var recent = Enumerable.Range(0, c.RecentEvictions).Select(i => Now.AddMinutes(-i)).ToList();
        var ledgers = new ApplyLedgers(new Dictionary<string, IReadOnlyList<OomKill>>(), new Dictionary<string, IReadOnlyList<DateTimeOffset>> { ["uid-web"] = recent });

        var plan = Plan(target, resolved.Build(), ledgers: ledgers);

        Assert.Equal((c.ByInterval, c.ByBudget), (plan.Evictions!.ByInterval, plan.Evictions.ByBudget));
    }

    [Theory]
    [InlineData(1, int.MaxValue, 0, false, null)]
    [InlineData(1, int.MaxValue, 1, false, "at most 1 eviction(s) per 1h0m0s")]
    [InlineData(3, 1, 1, false, EvictionAllowance.BudgetReason)]
    [InlineData(3, 5, 0, true, EvictionAllowance.BudgetReason)]
    public void WaitReason_EvictionsSoFar_EvictsWithinTheAllowanceOnly(int byInterval, int byBudget, int evicted, bool refused, string? reason)
    {
        var allowance = new EvictionAllowance(byInterval, byBudget, byInterval, TimeSpan.FromHours(1));

        Assert.Equal(reason, allowance.WaitReason(evicted, refused));
    }

    [Fact]
    public void PlanTarget_HorizontalFirstTime_SavesTheOriginalThenSetsTheFloorClamped()
    {
        var target = Horizontal().WithSuggestion("s1", replicas: 9).Build();

        var plan = Plan(target, ResolvedBuilder.For(target).WithHpa(2, 6).Build());

        Assert.Equal([ApplyItemKind.SaveBaseline, ApplyItemKind.SetHpaFloor], plan.Items.Select(i => i.Kind));
        var baseline = plan.Items.OfType<SaveBaseline>().Single().Record.Horizontal!;
        Assert.Equal((2, 6, "s1"), (baseline.OriginalMinReplicas, baseline.AppliedMinReplicas, baseline.SuggestionUid));
        Assert.Equal(6, plan.Items.OfType<SetHpaFloor>().Single().Floor);
    }

    [Fact]
    public void PlanTarget_HorizontalRecordLost_OriginalFromTheHpaAnnotation()
    {
        var target = Horizontal().WithSuggestion("s2", replicas: 3).Build();
        var annotations = new Dictionary<string, string> { [IScalingActions.OriginalMinReplicasAnnotation] = "2" };

        var plan = Plan(target, ResolvedBuilder.For(target).WithHpa(4, 6, annotations).Build());

        Assert.Equal(2, plan.Items.OfType<SaveBaseline>().Single().Record.Horizontal!.OriginalMinReplicas);
    }

    [Fact]
    public void PlanTarget_HorizontalFloorAlreadySet_RecordsWithoutChangingTheHpa()
    {
        var target = Horizontal().WithSuggestion("s2", replicas: 4).Build();
        var record = Record(target, horizontal: new HorizontalBaseline("web", 2, 4, "s1", Now.AddMinutes(-5)));

        var plan = Plan(target, ResolvedBuilder.For(target).WithHpa(4, 6).Build(), record: record);

        Assert.Equal([ApplyItemKind.SaveBaseline], plan.Items.Select(i => i.Kind));
        Assert.Equal(2, plan.Record!.Horizontal!.OriginalMinReplicas);
    }

    [Fact]
    public void PlanTarget_HorizontalApplied_UpToDate()
    {
        var target = Horizontal().WithSuggestion("s1", replicas: 4).WithLastProcessed("s1").Build();
        var record = Record(target, horizontal: new HorizontalBaseline("web", 2, 4, "s1", Now.AddMinutes(-5)));

        var plan = Plan(target, ResolvedBuilder.For(target).WithHpa(4, 6).Build(), record: record);

        Assert.Equal(ApplyDecision.UpToDate, plan.Decision);
    }

    [Fact]
    public void PlanTarget_RecordOfAnOlderTargetOfTheSameName_StartsAFreshOne()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m").Build();
        var old = Record(target, new VerticalBaseline("s0", Now, [], ["old-pod"])) with { Uid = "uid-old" };

        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(1).Build(), record: old);

        var saved = plan.Items.OfType<SaveBaseline>().Single().Record;
        Assert.Equal(("uid-web", "etag-1", "s1"), (saved.Uid, saved.ETag, saved.Vertical!.SuggestionUid));
        Assert.Null(plan.Stored);
    }

    [Fact]
    public void Conclude_EveryPodResized_AppliedWithStatusRecordAndAudit()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m").Build();
        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(2).Build());
        var outcomes = plan.Items.Select(i => new ApplyItemOutcome(i, i is ResizePod ? ApplyItemStatus.Resized : ApplyItemStatus.Done)).ToList();

        var conclusion = ApplyPlanner.Conclude(plan, outcomes, Now);

        Assert.Equal(ApplyOutcome.Applied, conclusion.Result.Outcome);
        Assert.Equal("suggestion s1 is applied to 2 running pod(s)", conclusion.Result.Detail);
        Assert.Equal(("s1", TargetConditionReasons.Applying), (conclusion.Status!.LastProcessedSuggestionUid, conclusion.Status.Conditions.Single().Reason));
        Assert.Equal(["pod-0", "pod-1"], conclusion.Record!.Vertical!.DonePods);
        Assert.Equal(("apply-vertical", "suggestion s1: resized [web-0, web-1], evicted []"), (conclusion.Audit!.Action, conclusion.Audit.Current));
    }

    [Fact]
    public void Conclude_DeferredResize_CountsAsDoneAndSaysSo()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m").Build();
        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(1).Build());
        var outcomes = plan.Items.Select(i => new ApplyItemOutcome(i, i is ResizePod ? ApplyItemStatus.Deferred : ApplyItemStatus.Done)).ToList();

        var conclusion = ApplyPlanner.Conclude(plan, outcomes, Now);

        Assert.Equal((ApplyOutcome.Applied, "suggestion s1: resized [web-0 (deferred)], evicted []"), (conclusion.Result.Outcome, conclusion.Audit!.Current));
    }

    [Fact]
    public void Conclude_PodWaitsToBeRecreated_InProgressAndNotYetProcessed()
    {
        var target = Vertical(UpdateMode.Recreate).WithSuggestion("s1", cpu: "400m").Build();
        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(2).Build());
        var outcomes = plan.Items.Select(i => i is EvictPod e && e.Pod.Name == "web-1"
            ? new ApplyItemOutcome(i, ApplyItemStatus.Waiting, EvictionAllowance.BudgetReason)
            : new ApplyItemOutcome(i, i is EvictPod ? ApplyItemStatus.Evicted : ApplyItemStatus.Done)).ToList();

        var conclusion = ApplyPlanner.Conclude(plan, outcomes, Now);

        Assert.Equal(ApplyOutcome.InProgress, conclusion.Result.Outcome);
        Assert.Contains("1 of 2 pod(s); 1 wait to be recreated (web-1: the PodDisruptionBudget", conclusion.Result.Detail, StringComparison.Ordinal);
        Assert.Null(conclusion.Status!.LastProcessedSuggestionUid);
    }

    [Fact]
    public void Conclude_ItemFailed_FailedWithItsErrorAndTheProgressSoFarRecorded()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m").Build();
        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(2).Build());
        var outcomes = new List<ApplyItemOutcome>
        {
            new(plan.Items[0], ApplyItemStatus.Done),
            new(plan.Items[1], ApplyItemStatus.Resized),
            new(plan.Items[2], ApplyItemStatus.Failed, "the API server answered 500"),
        };

        var conclusion = ApplyPlanner.Conclude(plan, outcomes, Now);

        Assert.Equal((ApplyOutcome.Failed, "the API server answered 500"), (conclusion.Result.Outcome, conclusion.Result.Detail));
        Assert.Equal(ApplyConditions.ApplyFailedReason, conclusion.Status!.Conditions.Single().Reason);
        Assert.Equal(["pod-0"], conclusion.Record!.Vertical!.DonePods);
        Assert.NotNull(conclusion.Audit);
    }

    [Fact]
    public void Conclude_NothingChangedSinceTheLastPass_WritesNoRecordAndNoAudit()
    {
        var target = Vertical(UpdateMode.Recreate).WithSuggestion("s1", cpu: "400m").Build();
        var record = Record(target, new VerticalBaseline("s1", Now.AddMinutes(-1), [ResolvedBuilder.App()], []));
        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(1).Build(), record: record);
        var outcomes = plan.Items.Select(i => new ApplyItemOutcome(i, ApplyItemStatus.Waiting, "at most 1 eviction(s) per 5m")).ToList();

        var conclusion = ApplyPlanner.Conclude(plan, outcomes, Now);

        Assert.Equal((ApplyOutcome.InProgress, (EnrolledTarget?)null, (Thoras.Domain.Audit.AuditRecord?)null), (conclusion.Result.Outcome, conclusion.Record, conclusion.Audit));
    }

    [Fact]
    public void Conclude_HorizontalFloorSet_AppliedWithAuditOfTheChange()
    {
        var target = Horizontal().WithSuggestion("s1", replicas: 4).Build();
        var plan = Plan(target, ResolvedBuilder.For(target).WithHpa(2, 6).Build());
        var outcomes = plan.Items.Select(i => new ApplyItemOutcome(i, ApplyItemStatus.Done)).ToList();

        var conclusion = ApplyPlanner.Conclude(plan, outcomes, Now);

        Assert.Equal("suggestion s1 set the minReplicas of HPA web to 4 (original 2)", conclusion.Result.Detail);
        Assert.Equal(("minReplicas 2", "minReplicas 4"), (conclusion.Audit!.Previous, conclusion.Audit.Current));
        Assert.Equal("s1", conclusion.Status!.LastProcessedSuggestionUid);
    }

    [Fact]
    public void Conclude_Refused_WritesOnlyItsCondition()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m").Build();
        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(1).Build(), Paused);

        var conclusion = ApplyPlanner.Conclude(plan, [], Now);

        Assert.Equal((ApplyOutcome.NotApplied, TargetConditionReasons.Paused), (conclusion.Result.Outcome, conclusion.Status!.Conditions.Single().Reason));
        Assert.Equal(((EnrolledTarget?)null, (Thoras.Domain.Audit.AuditRecord?)null), (conclusion.Record, conclusion.Audit));
    }

    /// <summary>A target whose status holds what <paramref name="conclusion"/> wrote, as the cluster would after the write.</summary>
    private static AIScaleTarget After(AIScaleTarget target, TargetApplyConclusion conclusion) =>
        target with { Status = conclusion.Status!.ApplyTo(target.Status) };

    [Fact]
    public void Conclude_RefusedAgainForTheSameReason_WritesNoStatus()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m").Build();
        var first = ApplyPlanner.Conclude(Plan(target, ResolvedBuilder.For(target).WithPods(1).Build(), Paused), [], Now);
        var held = After(target, first);

        var again = ApplyPlanner.Conclude(ApplyPlanner.PlanTarget(held, Snapshot(held, ResolvedBuilder.For(held).WithPods(1).Build()), Paused, null, ApplyLedgers.Empty, Now.AddMinutes(1)), [], Now.AddMinutes(1));

        Assert.Null(again.Status);
        Assert.Equal(ApplyOutcome.NotApplied, again.Result.Outcome);
    }

    [Fact]
    public void Conclude_RefusedWithAnotherMessage_WritesTheConditionAndKeepsItsTransitionTime()
    {
        var target = Vertical().WithSuggestion("s1", cpu: "400m").Build();
        var first = ApplyPlanner.Conclude(Plan(target, ResolvedBuilder.For(target).WithPods(1).Build(), Paused), [], Now);
        var held = After(target, first);
        var later = Now.AddMinutes(1);

        // Still Scaling=False, now held by someone else: the message changes, so it is written; the status did not, so the time stays.
        var bob = GateDecision.DoNotApply("paused by manual (bob: freeze)");
        var again = ApplyPlanner.Conclude(ApplyPlanner.PlanTarget(held, Snapshot(held, ResolvedBuilder.For(held).WithPods(1).Build()), bob, null, ApplyLedgers.Empty, later), [], later);
        var written = again.Status!.ApplyTo(held.Status).Condition(TargetConditionTypes.Scaling)!;

        Assert.Contains("bob", written.Message, StringComparison.Ordinal);
        Assert.Equal(Now, written.LastTransitionTime);
    }

    [Fact]
    public void Conclude_StillWaitingWithTheSameProgress_WritesNoStatus()
    {
        var target = Vertical(UpdateMode.Recreate).WithSuggestion("s1", cpu: "400m").Build();
        var record = Record(target, new VerticalBaseline("s1", Now.AddMinutes(-1), [ResolvedBuilder.App()], []));
        var resolved = ResolvedBuilder.For(target).WithPods(1).Build();
        List<ApplyItemOutcome> Waiting(TargetApplyPlan p) => [.. p.Items.Select(i => new ApplyItemOutcome(i, ApplyItemStatus.Waiting, "at most 1 eviction(s) per 5m"))];
        var plan = Plan(target, resolved, record: record);
        var first = ApplyPlanner.Conclude(plan, Waiting(plan), Now);
        var held = After(target, first);

        var again = ApplyPlanner.PlanTarget(held, Snapshot(held, ResolvedBuilder.For(held).WithPods(1).Build()), GateDecision.Apply, record, ApplyLedgers.Empty, Now.AddMinutes(1));
        var conclusion = ApplyPlanner.Conclude(again, Waiting(again), Now.AddMinutes(1));

        Assert.Equal((ApplyOutcome.InProgress, (StatusUpdate?)null), (conclusion.Result.Outcome, conclusion.Status));
    }

    [Fact]
    public void PlanTarget_SuggestionAppliedAndPodsMatch_UpToDateWithNoItemsAndNoStatus()
    {
        // The held suggestion of a steady forecast tick: already processed, pods done.
        var target = Vertical().WithSuggestion("s1", cpu: "400m").WithLastProcessed("s1").Build();
        var record = Record(target, new VerticalBaseline("s1", Now.AddMinutes(-5), [ResolvedBuilder.App()], ["pod-0", "pod-1"]));

        var plan = Plan(target, ResolvedBuilder.For(target).WithPods(2).Build(), record: record);
        var conclusion = ApplyPlanner.Conclude(plan, [], Now);

        Assert.Equal((ApplyDecision.UpToDate, 0), (plan.Decision, plan.Items.Count));
        Assert.Equal(((StatusUpdate?)null, (EnrolledTarget?)null, (Thoras.Domain.Audit.AuditRecord?)null), (conclusion.Status, conclusion.Record, conclusion.Audit));
    }

    [Fact]
    public void Plan_SeveralTargets_OnePlanEachInKeyOrder()
    {
        var zeta = TargetBuilder.Target("zeta").Vertical(TargetMode.Recommendation).Build();
        var alpha = TargetBuilder.Target("alpha").Vertical(TargetMode.Recommendation).Build();
        var snapshot = new ApplySnapshot([zeta, alpha], new Dictionary<string, ResolvedTarget?>(), new Dictionary<string, string>());

        var plan = ApplyPlanner.Plan(snapshot, GateDecision.Apply, new Dictionary<TargetKey, EnrolledTarget>(), ApplyLedgers.Empty, Now);

        Assert.Equal(["alpha", "zeta"], plan.Targets.Select(t => t.Key.Name));
    }
}
