using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

public class TargetStatusTests
{
    private static readonly DateTimeOffset Then = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Then.AddHours(2);

    [Fact]
    public void WithCondition_SameStatusAgain_KeepsTheTransitionTimeAndTakesTheNewMessage()
    {
        var status = new TargetStatus().WithCondition(TargetConditions.Paused(["manual"], Then, 1));

        var updated = status.WithCondition(TargetConditions.Paused(["manual", "window:nightly"], Now, 1));

        var condition = updated.Condition(TargetConditionTypes.Scaling)!;
        Assert.Equal((Then, "Scaling is paused (manual, window:nightly); suggestions are published but not applied."), (condition.LastTransitionTime, condition.Message));
    }

    [Fact]
    public void WithCondition_StatusChanges_TakesTheNewTransitionTime()
    {
        var status = new TargetStatus().WithCondition(TargetConditions.Paused(["manual"], Then, 1));

        var updated = status.WithCondition(TargetConditions.Applying(ScalingDirection.Vertical, Now, 1));

        Assert.Equal(Now, updated.Condition(TargetConditionTypes.Scaling)!.LastTransitionTime);
    }

    [Fact]
    public void WithCondition_AnotherType_KeepsBothOnePerType()
    {
        var status = new TargetStatus()
            .WithCondition(TargetConditions.Ready("Deployment/web", Then, 1))
            .WithCondition(TargetConditions.Paused(["manual"], Then, 1))
            .WithCondition(TargetConditions.Paused(["manual", "window:nightly"], Now, 1));

        Assert.Equal([TargetConditionTypes.Ready, TargetConditionTypes.Scaling], status.Conditions!.Select(c => c.Type));
    }
}
