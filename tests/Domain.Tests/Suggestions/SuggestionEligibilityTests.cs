using Thoras.Domain.Pause;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Suggestions;

/// <summary>The one rule for whether a suggestion may be applied, as forecast, apply and admission use it.</summary>
public sealed class SuggestionEligibilityTests
{
    private static readonly GateDecision Paused = GateDecision.DoNotApply("paused by manual (alice)");

    /// <summary>A target, its gate and workload, and the answer.</summary>
    public sealed record Case(string Name, AIScaleTarget Target, GateDecision Gate, Func<AIScaleTarget, ResolvedTarget?> Resolve, Ineligibility Expected, string ReasonStart)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new()
    {
        new("autonomous vertical, not paused", TargetBuilder.Target().Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "1").Build(), GateDecision.Apply,
            t => ResolvedBuilder.For(t).Build(), Ineligibility.None, "autonomous and not paused"),
        new("recommendation", TargetBuilder.Target().Vertical(TargetMode.Recommendation).WithSuggestion("s1", cpu: "1").Build(), GateDecision.Apply,
            t => ResolvedBuilder.For(t).Build(), Ineligibility.NotAutonomous, "recommendation mode"),
        new("observation", TargetBuilder.Target().Vertical(TargetMode.Observation).Build(), GateDecision.Apply,
            t => ResolvedBuilder.For(t).Build(), Ineligibility.NotAutonomous, "observation mode"),
        new("no suggestion", TargetBuilder.Target().Vertical(TargetMode.Autonomous).Build(), GateDecision.Apply,
            t => ResolvedBuilder.For(t).Build(), Ineligibility.NoSuggestion, "no suggestion"),
        new("not enough data comes before the gate", TargetBuilder.Target().Vertical(TargetMode.Autonomous).WithSuggestion("s1", enoughData: false).Build(), Paused,
            t => ResolvedBuilder.For(t).Build(), Ineligibility.NotEnoughData, "not enough data"),
        new("paused", TargetBuilder.Target().Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "1").Build(), Paused,
            t => ResolvedBuilder.For(t).Build(), Ineligibility.Paused, "paused by manual"),
        new("paused comes before the HPA", TargetBuilder.Target().Horizontal(TargetMode.Autonomous).WithSuggestion("s1", replicas: 2).Build(), Paused,
            t => ResolvedBuilder.For(t).Build(), Ineligibility.Paused, "paused by manual"),
        new("workload missing", TargetBuilder.Target().Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "1").Build(), GateDecision.Apply,
            _ => null, Ineligibility.WorkloadMissing, "its workload does not exist"),
        new("horizontal without HPA", TargetBuilder.Target().Horizontal(TargetMode.Autonomous).WithSuggestion("s1", replicas: 2).Build(), GateDecision.Apply,
            t => ResolvedBuilder.For(t).Build(), Ineligibility.NoSingleHpa, "no single HPA"),
        new("horizontal without replicas", TargetBuilder.Target().Horizontal(TargetMode.Autonomous).WithSuggestion("s1").Build(), GateDecision.Apply,
            t => ResolvedBuilder.For(t).WithHpa(1, 4).Build(), Ineligibility.NoReplicaCount, "the suggestion has no replica count"),
        new("horizontal with one HPA and replicas", TargetBuilder.Target().Horizontal(TargetMode.Autonomous).WithSuggestion("s1", replicas: 2).Build(), GateDecision.Apply,
            t => ResolvedBuilder.For(t).WithHpa(1, 4).Build(), Ineligibility.None, "autonomous and not paused"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_TargetGateAndWorkload_FirstFailingRuleAnswers(Case c)
    {
        var eligibility = SuggestionEligibility.Check(c.Target.Spec, c.Target.Status.LatestSuggestion, c.Gate, c.Resolve(c.Target));

        Assert.Equal(c.Expected, eligibility.Refusal);
        Assert.StartsWith(c.ReasonStart, eligibility.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReplicasProblemKnown_GivesItAsTheReason()
    {
        var target = TargetBuilder.Target().Horizontal(TargetMode.Autonomous).WithSuggestion("s1").Build();

        var eligibility = SuggestionEligibility.Check(target.Spec, target.Status.LatestSuggestion, GateDecision.Apply, ResolvedBuilder.For(target).WithHpa(1, 4).Build(), "the containers request no CPU");

        Assert.Equal("the containers request no CPU", eligibility.Reason);
    }

    [Fact]
    public void BeforeWorkload_GateNotAskedYet_EligibleUpToTheGate()
    {
        var target = TargetBuilder.Target().Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "1").Build();

        var eligibility = SuggestionEligibility.BeforeWorkload(target.Spec, target.Status.LatestSuggestion, null);

        Assert.Equal((true, ScalingDirection.Vertical), (eligibility.IsEligible, eligibility.Direction));
    }
}
