using Thoras.Domain.Forecasting;
using Thoras.Domain.Pause;
using Thoras.Domain.Recommendation;
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
}
