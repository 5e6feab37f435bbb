using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

/// <summary>Each condition tells a user, in its reason and message, why a target is not scaling.</summary>
public class TargetConditionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NoSingleHpa_NoneFound_SaysSo()
    {
        var condition = TargetConditions.NoSingleHpa("Deployment/api", [], Now, 3);

        Assert.Equal(
            (ConditionStatus.False, "NoSingleHpa", "Horizontal autonomy sets the minReplicas of the one HorizontalPodAutoscaler of Deployment/api, but none was found."),
            (condition.Status, condition.Reason, condition.Message));
    }

    [Fact]
    public void NoSingleHpa_TwoFound_NamesThem()
    {
        var condition = TargetConditions.NoSingleHpa("Deployment/api", ["api", "api-legacy"], Now, 3);

        Assert.EndsWith("but found 2: api, api-legacy.", condition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidSpec_Problems_AreAllListed()
    {
        var condition = TargetConditions.InvalidSpec(
            [new SpecProblem("spec", SpecRules.ExactlyOneWorkload), new SpecProblem("spec.vertical.mode", "is required")], Now, 4);

        Assert.Equal(
            (TargetConditionTypes.Ready, "InvalidSpec", "The spec is invalid, so this target is neither forecast nor scaled: spec: exactly one of scaleTargetRef or selector must be set; spec.vertical.mode: is required."),
            (condition.Type, condition.Reason, condition.Message));
    }

    [Fact]
    public void Paused_Holders_AreNamed()
    {
        var condition = TargetConditions.Paused(["manual", "window:nightly"], Now, 1);

        Assert.Equal(
            ("Paused", "Scaling is paused (manual, window:nightly); suggestions are published but not applied."),
            (condition.Reason, condition.Message));
    }

    [Fact]
    public void NotAutonomous_Modes_AreNamed()
    {
        var condition = TargetConditions.NotAutonomous(ASpec.Both(TargetMode.Observation, TargetMode.Recommendation), Now, 1);

        Assert.Equal("No direction is autonomous (vertical is observation, horizontal is recommendation), so suggestions are not applied.", condition.Message);
    }

    [Fact]
    public void WorkloadNotFound_Reference_IsNamed()
    {
        var condition = TargetConditions.WorkloadNotFound(ASpec.Deployment("web"), "shop", Now, 1);

        Assert.Equal((ConditionStatus.False, "Deployment/web does not exist in namespace shop; nothing is collected until it does."), (condition.Status, condition.Message));
    }
}
