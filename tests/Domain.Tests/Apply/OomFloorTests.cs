using Thoras.Domain.Apply;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Apply;

public sealed class OomFloorTests
{
    private static readonly DateTimeOffset KilledAt = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);

    private static Suggestion Suggest(string memory) => new()
    {
        SuggestionUID = "s1",
        ResourceRecommendations = [new ResourceRecommendation { ContainerName = "app", Requests = new ResourceAmounts { Memory = Quantity.Parse(memory) } }],
    };

    [Fact]
    public void AfterKill_Enabled_RaisesToAtLeastOnePointTwoTimesTheRequest()
    {
        var floor = OomFloor.AfterKill("app", Quantity.Parse("100Mi"), KilledAt, new OomRemediation { Enabled = true });

        Assert.True(floor!.Memory.Amount >= 1.2m * 100 * 1024 * 1024);
    }

    [Fact]
    public void AfterKill_Disabled_GivesNoFloor()
    {
        Assert.Null(OomFloor.AfterKill("app", Quantity.Parse("100Mi"), KilledAt, new OomRemediation { Enabled = false }));
    }

    [Fact]
    public void Raise_WithinStabilisationWindow_KeepsMemoryAtTheFloor()
    {
        var floor = OomFloor.AfterKill("app", Quantity.Parse("100Mi"), KilledAt, new OomRemediation { StabilizationWindow = TimeSpan.FromMinutes(30) })!;

        var raised = OomFloor.Raise(Suggest("64Mi"), [floor], KilledAt.AddMinutes(29));

        Assert.Equal(floor.Memory, raised.ResourceRecommendations![0].Requests!.Memory);
    }

    [Fact]
    public void Raise_AfterStabilisationWindow_UsesTheSuggestion()
    {
        var floor = OomFloor.AfterKill("app", Quantity.Parse("100Mi"), KilledAt, new OomRemediation { StabilizationWindow = TimeSpan.FromMinutes(30) })!;

        var raised = OomFloor.Raise(Suggest("64Mi"), [floor], KilledAt.AddMinutes(30));

        Assert.Equal(Quantity.Parse("64Mi"), raised.ResourceRecommendations![0].Requests!.Memory);
    }

    [Fact]
    public void Raise_SuggestionAboveFloor_KeepsTheSuggestion()
    {
        var floor = OomFloor.AfterKill("app", Quantity.Parse("100Mi"), KilledAt, null)!;

        var raised = OomFloor.Raise(Suggest("1Gi"), [floor], KilledAt.AddMinutes(1));

        Assert.Equal(Quantity.Parse("1Gi"), raised.ResourceRecommendations![0].Requests!.Memory);
    }
}
