using Thoras.Domain.Apply;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Apply;

public sealed class SuggestedResourcesTests
{
    private static ContainerResources Container(string name, string? cpu, string? memory, string? cpuLimit = null, string? memoryLimit = null) => new(
        name,
        new ResourceAmounts { Cpu = Q(cpu), Memory = Q(memory) },
        new ResourceAmounts { Cpu = Q(cpuLimit), Memory = Q(memoryLimit) });

    private static Quantity? Q(string? text) => text is null ? null : Quantity.Parse(text);

    private static Suggestion Suggest(string container, string? cpu, string? memory) => new()
    {
        SuggestionUID = "s1",
        HasEnoughDataToScale = true,
        ResourceRecommendations = [new ResourceRecommendation { ContainerName = container, Requests = new ResourceAmounts { Cpu = Q(cpu), Memory = Q(memory) } }],
    };

    private static VerticalSpec Vertical(double? cpuRatio = null, double? memoryRatio = null) => new()
    {
        Mode = TargetMode.Autonomous,
        Containers =
        [
            new ContainerPolicy
            {
                Name = ContainerPolicy.AnyContainer,
                Cpu = cpuRatio is null ? null : new ResourcePolicy { Limit = new LimitPolicy { Ratio = cpuRatio } },
                Memory = memoryRatio is null ? null : new ResourcePolicy { Limit = new LimitPolicy { Ratio = memoryRatio } },
            },
        ],
    };

    [Fact]
    public void For_NoRatio_SetsRequestsAndLeavesLimits()
    {
        var result = SuggestedResources.For([Container("app", "250m", "256Mi", "1", "1Gi")], Suggest("app", "400m", "384Mi"), Vertical());

        Assert.Equal(Container("app", "400m", "384Mi", "1", "1Gi"), Assert.Single(result));
    }

    [Fact]
    public void For_RequestAboveExistingLimitWithoutRatio_CapsRequestAtLimit()
    {
        var result = SuggestedResources.For([Container("app", "250m", "256Mi", "500m", "1Gi")], Suggest("app", "800m", null), Vertical());

        Assert.Equal(Quantity.Parse("500m"), Assert.Single(result).Requests.Cpu);
    }

    [Fact]
    public void For_RatioSet_LimitFollowsRequest()
    {
        var result = SuggestedResources.For([Container("app", "250m", "256Mi", "1", "1Gi")], Suggest("app", "800m", "512Mi"), Vertical(cpuRatio: 2, memoryRatio: 1.5));

        Assert.Equal(Container("app", "800m", "512Mi", "1600m", "768Mi"), Assert.Single(result));
    }

    [Fact]
    public void For_ContainerNotInSuggestion_KeepsItsResources()
    {
        var sidecar = Container("sidecar", "50m", "64Mi");

        var result = SuggestedResources.For([sidecar], Suggest("app", "400m", "384Mi"), Vertical());

        Assert.Equal(sidecar, Assert.Single(result));
    }

    [Fact]
    public void SameResources_EqualAmountsWrittenDifferently_AreSame()
    {
        Assert.True(SuggestedResources.SameResources([Container("app", "1000m", "1024Mi")], [Container("app", "1", "1Gi")]));
    }
}
