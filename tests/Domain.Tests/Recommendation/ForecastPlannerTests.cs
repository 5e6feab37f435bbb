using Thoras.Domain.Forecasting;
using Thoras.Domain.Pause;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Recommendation;

/// <summary>Every decision of the forecast planner, on hand-built recommendations: no forecaster, no I/O.</summary>
public sealed class ForecastPlannerTests
{
    private static readonly DateTimeOffset Now = TargetBuilder.Now;

    private static TargetRecommendation Recommended(bool enough = true, int? replicas = null, string? problem = null, bool retrained = false) => new(
        [new SeriesForecast("container:app:cpu", true, retrained, new Forecast(Now, enough, 0.3, 0.4))],
        [new ResourceRecommendation { ContainerName = "app", Requests = new ResourceAmounts { Cpu = Quantity.Parse("400m") } }],
        enough,
        replicas,
        enough,
        problem,
        retrained ? new Dictionary<string, byte[]> { ["container:app:cpu"] = [1, 2, 3] } : new Dictionary<string, byte[]>());

    private static ForecastPlan Plan(AIScaleTarget target, TargetRecommendation? recommendation, GateDecision? gate = null, ResolvedTarget? resolved = null) =>
        ForecastPlanner.Plan(target, recommendation is null ? null : resolved ?? ResolvedBuilder.For(target).Build(), recommendation, gate, Now, "s-new");

    /// <summary>A target and what is recorded about its publication.</summary>
    public sealed record PublicationCase(string Name, AIScaleTarget Target, TargetRecommendation Recommendation, GateDecision? Gate, bool Expected, string ReasonStart)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<PublicationCase> Publications => new()
    {
        new("recommendation mode", TargetBuilder.Target().Vertical(TargetMode.Recommendation).Build(), Recommended(), null, false, "recommendation mode"),
        new("autonomous, enough data, running", TargetBuilder.Target().Vertical(TargetMode.Autonomous).Build(), Recommended(), GateDecision.Apply, true, "autonomous and not paused"),
        new("autonomous, paused", TargetBuilder.Target().Vertical(TargetMode.Autonomous).Build(), Recommended(), GateDecision.DoNotApply("paused by manual (alice)"), false, "paused by manual"),
        new("autonomous, short history", TargetBuilder.Target().Vertical(TargetMode.Autonomous).Build(), Recommended(enough: false), GateDecision.Apply, false, "not enough data"),
        new("horizontal without HPA", TargetBuilder.Target().Horizontal(TargetMode.Autonomous).Build(), Recommended(replicas: 3), GateDecision.Apply, false, "no single HPA"),
    };

    [Theory]
    [MemberData(nameof(Publications))]
    public void Plan_PublishingTarget_RecordsWhetherItIsExpectedToApplyAndWhy(PublicationCase c)
    {
        var plan = Plan(c.Target, c.Recommendation, c.Gate);

        Assert.Equal(ForecastOutcome.Published, plan.Outcome);
        Assert.Equal(c.Expected, plan.Published!.ExpectedToApply);
        Assert.StartsWith(c.ReasonStart, plan.Published.Reason, StringComparison.Ordinal);
        Assert.Equal([ForecastItemKind.Publish, ForecastItemKind.RecordHistory], plan.Items.Select(i => i.Kind));
    }

    [Fact]
    public void Plan_HorizontalWithoutCpuRequests_SaysWhyThereAreNoReplicas()
    {
        var target = TargetBuilder.Target().Horizontal(TargetMode.Autonomous).Build();
        var resolved = ResolvedBuilder.For(target).WithHpa(1, 5).Build();

        var plan = Plan(target, Recommended(problem: "the workload's containers request no CPU, so replicas cannot be derived"), GateDecision.Apply, resolved);

        Assert.Equal("the workload's containers request no CPU, so replicas cannot be derived", plan.Published!.Reason);
        Assert.Null(plan.Published.Suggestion.SuggestedReplicas);
    }

    [Fact]
    public void Plan_EnoughData_SuggestionCarriesTheRecommendationUidAndHorizon()
    {
        var target = TargetBuilder.Target().Vertical(TargetMode.Recommendation).Build();

        var suggestion = Plan(target, Recommended())!.Published!.Suggestion;

        Assert.Equal(("s-new", Now, Now.AddMinutes(15), true), (suggestion.SuggestionUID, suggestion.Start, suggestion.End, suggestion.HasEnoughDataToScale));
        Assert.Equal("400m", suggestion.ResourceRecommendations!.Single().Requests!.Cpu.ToString());
    }

    [Fact]
    public void Plan_NotEnoughData_PublishesWithoutResources()
    {
        var target = TargetBuilder.Target().Vertical(TargetMode.Recommendation).Build();

        var suggestion = Plan(target, Recommended(enough: false)).Published!.Suggestion;

        Assert.Equal((false, null), (suggestion.HasEnoughDataToScale, suggestion.ResourceRecommendations));
    }

    [Fact]
    public void Plan_Observation_SetsReadyOnlyAndPublishesNothing()
    {
        var target = TargetBuilder.Target().Vertical(TargetMode.Observation).Build();

        var plan = Plan(target, Recommended());

        Assert.Equal((ForecastOutcome.Observed, null), (plan.Outcome, plan.Published));
        var report = Assert.IsType<ReportCondition>(Assert.Single(plan.Items));
        Assert.Equal(TargetConditionReasons.Resolved, report.Status.Conditions.Single().Reason);
        Assert.Null(report.Status.LatestSuggestion);
    }

    [Fact]
    public void Plan_Retrained_SavesTheModelState()
    {
        var target = TargetBuilder.Target().Vertical(TargetMode.Recommendation).Build();

        var plan = Plan(target, Recommended(retrained: true));

        Assert.Equal("container:app:cpu", plan.Items.OfType<SaveModel>().Single().Series);
    }

    [Theory]
    [InlineData(true, TargetConditionReasons.WorkloadNotFound)]
    [InlineData(false, TargetConditionReasons.ForecastFailed)]
    public void Plan_WorkloadMissing_FailsWithReadyFalse(bool scaleTargetRef, string reason)
    {
        var builder = TargetBuilder.Target().Vertical(TargetMode.Recommendation);
        var target = (scaleTargetRef ? builder : builder.WithSelector("web")).Build();

        var plan = Plan(target, null);

        Assert.Equal((ForecastOutcome.Failed, ConditionStatus.False, reason), (plan.Outcome, plan.Ready!.Status, plan.Ready.Reason));
    }

    [Fact]
    public void Plan_AutonomousWithoutTheGate_Throws()
    {
        var target = TargetBuilder.Target().Vertical(TargetMode.Autonomous).Build();

        Assert.Throws<ArgumentNullException>(() => Plan(target, Recommended()));
    }

    /// <summary>When a target is due again.</summary>
    public sealed record DueCase(string Name, AIScaleTarget Target, DateTimeOffset? Remembered, bool Due)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<DueCase> DueCases => new()
    {
        new("never forecast", TargetBuilder.Target().Vertical(TargetMode.Recommendation).Build(), null, true),
        new("suggestion 4 minutes old", TargetBuilder.Target().Vertical(TargetMode.Recommendation).WithSuggestion("s", start: Now.AddMinutes(-4)).Build(), null, false),
        new("suggestion 5 minutes old", TargetBuilder.Target().Vertical(TargetMode.Recommendation).WithSuggestion("s", start: Now.AddMinutes(-5)).Build(), null, true),
        new("observation forecast 1 minute ago", TargetBuilder.Target().Vertical(TargetMode.Observation).Build(), Now.AddMinutes(-1), false),
        new("remembered older than the suggestion", TargetBuilder.Target().Vertical(TargetMode.Recommendation).WithSuggestion("s", start: Now.AddMinutes(-2)).Build(), Now.AddMinutes(-9), false),
    };

    [Theory]
    [MemberData(nameof(DueCases))]
    public void NotDue_LastForecast_DueOncePerForecastInterval(DueCase c)
    {
        Assert.Equal(c.Due, ForecastPlanner.NotDue(c.Target, c.Remembered, Now) is null);
    }

    [Theory]
    [InlineData(false, false, TargetReads.Workload)]
    [InlineData(true, false, TargetReads.Workload | TargetReads.Autoscalers)]
    [InlineData(false, true, TargetReads.Workload | TargetReads.Pods)]
    public void ReadsFor_Target_WorkloadAndWhatItsDirectionsNeed(bool horizontal, bool selector, TargetReads reads)
    {
        var builder = horizontal ? TargetBuilder.Target().Horizontal(TargetMode.Recommendation) : TargetBuilder.Target().Vertical(TargetMode.Recommendation);

        Assert.Equal(reads, ForecastPlanner.ReadsFor((selector ? builder.WithSelector("web") : builder).Build()));
    }

    [Fact]
    public void ReportInvalid_SameSpecAlreadyReported_NothingToWrite()
    {
        var invalid = new InvalidTarget(new TargetMetadata { Namespace = "shop", Name = "bad", Uid = "u", Generation = 2 }, [new SpecProblem("spec", "bad")]);

        var first = ForecastPlanner.ReportInvalid(invalid, null, Now);
        var again = ForecastPlanner.ReportInvalid(invalid, ForecastPlanner.InvalidSignature(invalid), Now);
        var changed = ForecastPlanner.ReportInvalid(invalid with { Metadata = invalid.Metadata with { Generation = 3 } }, ForecastPlanner.InvalidSignature(invalid), Now);

        Assert.Equal([TargetConditionTypes.Ready, TargetConditionTypes.Scaling], first!.Conditions.Select(c => c.Type));
        Assert.Null(again);
        Assert.NotNull(changed);
    }

    /// <summary>A target whose status holds what <paramref name="plan"/> published (or reported), as the cluster would after the write.</summary>
    private static AIScaleTarget Holding(ForecastPlan plan)
    {
        var update = plan.Items.Select(i => i switch { PublishSuggestion p => p.Status, ReportCondition r => r.Status, _ => null }).Single(u => u is not null)!;
        return plan.Target with { Status = update.ApplyTo(plan.Target.Status) };
    }

    private static TargetRecommendation Containers(string cpu, string? memory = null, string? cpuLimit = null, bool enough = true, int? replicas = null) =>
        Recommended(enough: enough, replicas: replicas) with
        {
            Containers =
            [
                new ResourceRecommendation
                {
                    ContainerName = "app",
                    Requests = new ResourceAmounts { Cpu = Quantity.Parse(cpu), Memory = memory is null ? null : Quantity.Parse(memory) },
                    Limits = cpuLimit is null ? null : new ResourceAmounts { Cpu = Quantity.Parse(cpuLimit) },
                },
            ],
        };

    /// <summary>A second forecast <c>After</c> the first published, with what it would publish, and what the planner should do.</summary>
    public sealed record SteadyCase(
        string Name, AIScaleTarget Target, TargetRecommendation First, TargetRecommendation Next, TimeSpan After, ForecastOutcome Outcome, ForecastItemKind[] Items, string? Uid,
        Func<AIScaleTarget, AIScaleTarget>? Between = null)
    {
        public override string ToString() => Name;
    }

    private static readonly AIScaleTarget VerticalTarget = TargetBuilder.Target().Vertical(TargetMode.Recommendation).Build();
    private static readonly AIScaleTarget HorizontalTarget = TargetBuilder.Target().Horizontal(TargetMode.Recommendation).Build();
    private static readonly ForecastItemKind[] PublishAndRecord = [ForecastItemKind.Publish, ForecastItemKind.RecordHistory];

    public static TheoryData<SteadyCase> SteadyCases => new()
    {
        new("same values, same Ready, 5 min later: held, nothing written", VerticalTarget, Containers("400m"), Containers("400m"), TimeSpan.FromMinutes(5), ForecastOutcome.Held, [], "s-first"),
        new("same values and memory and limits: held", VerticalTarget, Containers("400m", "300Mi", "1"), Containers("400m", "300Mi", "1"), TimeSpan.FromMinutes(5), ForecastOutcome.Held, [], "s-first"),
        new("same values, 59 min after publication: still held", VerticalTarget, Containers("400m"), Containers("400m"), TimeSpan.FromMinutes(59), ForecastOutcome.Held, [], "s-first"),
        new("same values, 60 min after publication: refreshed, same UID, no history", VerticalTarget, Containers("400m"), Containers("400m"), TimeSpan.FromMinutes(60), ForecastOutcome.Published, [ForecastItemKind.Publish], "s-first"),
        new("CPU request changed: a new suggestion", VerticalTarget, Containers("400m"), Containers("410m"), TimeSpan.FromMinutes(5), ForecastOutcome.Published, PublishAndRecord, "s-next"),
        new("memory request appears: a new suggestion", VerticalTarget, Containers("400m"), Containers("400m", "300Mi"), TimeSpan.FromMinutes(5), ForecastOutcome.Published, PublishAndRecord, "s-next"),
        new("CPU limit changed: a new suggestion", VerticalTarget, Containers("400m", cpuLimit: "1"), Containers("400m", cpuLimit: "2"), TimeSpan.FromMinutes(5), ForecastOutcome.Published, PublishAndRecord, "s-next"),
        new("enough data now: a new suggestion", VerticalTarget, Containers("400m", enough: false), Containers("400m"), TimeSpan.FromMinutes(5), ForecastOutcome.Published, PublishAndRecord, "s-next"),
        new("still not enough data: held", VerticalTarget, Containers("400m", enough: false), Containers("400m", enough: false), TimeSpan.FromMinutes(5), ForecastOutcome.Held, [], "s-first"),
        new("replicas unchanged: held", HorizontalTarget, Containers("400m", replicas: 3), Containers("400m", replicas: 3), TimeSpan.FromMinutes(5), ForecastOutcome.Held, [], "s-first"),
        new("replicas changed: a new suggestion", HorizontalTarget, Containers("400m", replicas: 3), Containers("400m", replicas: 4), TimeSpan.FromMinutes(5), ForecastOutcome.Published, PublishAndRecord, "s-next"),
        new("spec changed (a new generation, so a new Ready): a new suggestion", VerticalTarget, Containers("400m"), Containers("400m"), TimeSpan.FromMinutes(5), ForecastOutcome.Published, PublishAndRecord, "s-next",
            t => t with { Metadata = t.Metadata with { Generation = (t.Metadata.Generation ?? 1) + 1 } }),
        new("Ready was False (the last forecast failed): a new suggestion", VerticalTarget, Containers("400m"), Containers("400m"), TimeSpan.FromMinutes(5), ForecastOutcome.Published, PublishAndRecord, "s-next",
            t => t with { Status = t.Status.WithCondition(TargetConditions.ForecastFailed("timeout", Now, t.Metadata.Generation)) }),
        new("retrained, same values: held, only the model state is saved", VerticalTarget, Containers("400m"), Recommended(retrained: true), TimeSpan.FromMinutes(5), ForecastOutcome.Held, [ForecastItemKind.SaveModel], "s-first"),
    };

    [Theory]
    [MemberData(nameof(SteadyCases))]
    public void Plan_SecondForecast_WritesOnlyWhatChanged(SteadyCase c)
    {
        var first = ForecastPlanner.Plan(c.Target, ResolvedBuilder.For(c.Target).Build(), c.First, null, Now, "s-first");
        var held = Holding(first);
        held = c.Between?.Invoke(held) ?? held;
        var at = Now + c.After;

        var next = ForecastPlanner.Plan(held, ResolvedBuilder.For(held).Build(), c.Next, null, at, "s-next");

        Assert.Equal(c.Outcome, next.Outcome);
        Assert.Equal(c.Items, next.Items.Select(i => i.Kind));
        var status = next.Items.OfType<PublishSuggestion>().SingleOrDefault()?.Status.ApplyTo(held.Status) ?? held.Status;
        Assert.Equal(c.Uid, status.LatestSuggestion!.SuggestionUID);
        Assert.Equal(c.Outcome == ForecastOutcome.Held ? Now : at, status.LatestSuggestion.Start);
    }

    [Fact]
    public void Plan_Held_ReadyKeepsItsTransitionTime()
    {
        var first = ForecastPlanner.Plan(VerticalTarget, ResolvedBuilder.For(VerticalTarget).Build(), Containers("400m"), null, Now, "s-first");
        var held = Holding(first);

        var next = ForecastPlanner.Plan(held, ResolvedBuilder.For(held).Build(), Containers("400m"), null, Now.AddMinutes(5), "s-next");

        Assert.Equal(Now, next.Ready!.LastTransitionTime);
    }

    [Fact]
    public void Plan_RefreshAfterSetting_Honoured()
    {
        var first = ForecastPlanner.Plan(VerticalTarget, ResolvedBuilder.For(VerticalTarget).Build(), Containers("400m"), null, Now, "s-first");
        var held = Holding(first);

        var at10 = ForecastPlanner.Plan(held, ResolvedBuilder.For(held).Build(), Containers("400m"), null, Now.AddMinutes(10), "s-next", TimeSpan.FromMinutes(10));
        var at5 = ForecastPlanner.Plan(held, ResolvedBuilder.For(held).Build(), Containers("400m"), null, Now.AddMinutes(5), "s-next", TimeSpan.FromMinutes(10));

        Assert.Equal((ForecastOutcome.Published, ForecastOutcome.Held), (at10.Outcome, at5.Outcome));
        Assert.Equal("s-first", at10.Published!.Suggestion.SuggestionUID);
    }

    [Theory]
    [InlineData(null, ForecastOutcome.Held)]                        // not known (after a restart): the values decide
    [InlineData(Ineligibility.None, ForecastOutcome.Held)]          // expected to apply then and now
    [InlineData(Ineligibility.Paused, ForecastOutcome.Published)]   // resumed since: the history records it
    public void Plan_SameValuesExpectationChanged_PublishesSoTheHistoryRecordsIt(Ineligibility? heldRefusal, ForecastOutcome outcome)
    {
        var target = TargetBuilder.Target().Vertical(TargetMode.Autonomous).Build();
        var first = ForecastPlanner.Plan(target, ResolvedBuilder.For(target).Build(), Containers("400m"), GateDecision.Apply, Now, "s-first");
        var held = Holding(first);

        var next = ForecastPlanner.Plan(held, ResolvedBuilder.For(held).Build(), Containers("400m"), GateDecision.Apply, Now.AddMinutes(5), "s-next", null, heldRefusal);

        Assert.Equal(outcome, next.Outcome);
    }

    [Fact]
    public void Plan_SameValuesNowPaused_PublishesANewSuggestionNotExpectedToApply()
    {
        var target = TargetBuilder.Target().Vertical(TargetMode.Autonomous).Build();
        var first = ForecastPlanner.Plan(target, ResolvedBuilder.For(target).Build(), Containers("400m"), GateDecision.Apply, Now, "s-first");
        var held = Holding(first);

        var next = ForecastPlanner.Plan(held, ResolvedBuilder.For(held).Build(), Containers("400m"), GateDecision.DoNotApply("paused by manual (alice)"), Now.AddMinutes(5), "s-next", null, Ineligibility.None);

        Assert.Equal(("s-next", false), (next.Published!.Suggestion.SuggestionUID, next.Published.ExpectedToApply));
        Assert.Equal(PublishAndRecord, next.Items.Select(i => i.Kind));
    }

    [Fact]
    public void Plan_ObservationWithTheSameReady_WritesNothing()
    {
        var target = TargetBuilder.Target().Vertical(TargetMode.Observation).Build();
        var first = Plan(target, Recommended());

        var next = ForecastPlanner.Plan(Holding(first), ResolvedBuilder.For(target).Build(), Recommended(), null, Now.AddMinutes(5), "s-next");

        Assert.Equal(ForecastOutcome.Observed, next.Outcome);
        Assert.Empty(next.Items);
    }
}
