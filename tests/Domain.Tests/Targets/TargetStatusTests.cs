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

    [Theory]
    [InlineData("s2", "s1", false)]
    [InlineData("s2", "s2", true)]
    [InlineData("s2", null, false)]
    public void LatestSuggestionApplied_LastProcessed_IsWhetherItIsTheLatestSuggestion(string latest, string? processed, bool applied)
    {
        var status = new TargetStatus { LatestSuggestion = new Suggestion { SuggestionUID = latest }, LastProcessedSuggestionUID = processed };

        Assert.Equal(applied, status.LatestSuggestionApplied);
    }

    [Fact]
    public void LatestSuggestionApplied_NewSuggestionPublished_BecomesFalseInTheWrittenStatus()
    {
        var applied = new TargetStatus { LatestSuggestion = new Suggestion { SuggestionUID = "s1" }, LastProcessedSuggestionUID = "s1" };

        var published = new StatusUpdate { LatestSuggestion = new Suggestion { SuggestionUID = "s2" } }.ApplyTo(applied);

        Assert.False(TargetJson.Write(published).GetProperty("latestSuggestionApplied").GetBoolean());
    }

    [Fact]
    public void LatestSuggestionApplied_NoSuggestion_IsLeftOutOfTheStatus()
    {
        Assert.False(TargetJson.Write(new TargetStatus { LastProcessedSuggestionUID = "s1" }).TryGetProperty("latestSuggestionApplied", out _));
    }
}
