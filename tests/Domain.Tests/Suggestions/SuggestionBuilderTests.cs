using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Suggestions;

public sealed class SuggestionBuilderTests
{
    private const double Mi = 1024 * 1024;

    [Fact]
    public void Vertical_ForecastBelowLowerbound_RequestIsLowerbound()
    {
        var vertical = AVertical.WithCpu(new ResourcePolicy { Lowerbound = Quantity.Parse("200m") });

        var recommendation = SuggestionBuilder.Vertical(vertical, AContainer.App(), 0.05, null);

        Assert.Equal(Quantity.Parse("200m"), recommendation.Requests!.Cpu);
    }

    [Fact]
    public void Vertical_ForecastAboveUpperbound_RequestIsUpperbound()
    {
        var vertical = AVertical.WithMemory(new ResourcePolicy { Upperbound = Quantity.Parse("512Mi") });

        var recommendation = SuggestionBuilder.Vertical(vertical, AContainer.App(limits: new ResourceAmounts()), null, 900 * Mi);

        Assert.Equal(Quantity.Parse("512Mi"), recommendation.Requests!.Memory);
    }

    [Fact]
    public void Vertical_ForecastBetweenBounds_RoundsUpToMillicoresAndMebibytes()
    {
        var recommendation = SuggestionBuilder.Vertical(AVertical.Plain(), AContainer.App(), 0.3301, 300.2 * Mi);

        Assert.Equal((Quantity.Parse("331m"), Quantity.Parse("301Mi")), (recommendation.Requests!.Cpu!.Value, recommendation.Requests.Memory!.Value));
    }

    [Fact]
    public void Vertical_LimitRatioSet_LimitFollowsRatio()
    {
        var vertical = AVertical.WithCpu(new ResourcePolicy { Limit = new LimitPolicy { Ratio = 2 } });

        var recommendation = SuggestionBuilder.Vertical(vertical, AContainer.App(), 0.3, null);

        Assert.Equal(Quantity.Parse("600m"), recommendation.Limits!.Cpu);
    }

    [Fact]
    public void Vertical_NoRatioAndForecastAboveExistingLimit_RequestCappedAtLimitAndLimitsLeftAlone()
    {
        var container = AContainer.App(limits: new ResourceAmounts { Cpu = Quantity.Parse("500m") });

        var recommendation = SuggestionBuilder.Vertical(AVertical.Plain(), container, 0.9, null);

        Assert.Equal((Quantity.Parse("500m"), (ResourceAmounts?)null), (recommendation.Requests!.Cpu!.Value, recommendation.Limits));
    }

    [Theory]
    [InlineData(2.0, 0.5, 80, 1, 5)]   // 2 / (0.5 × 0.8) = 5
    [InlineData(2.1, 0.5, 80, 1, 6)]   // 5.25 → 6
    [InlineData(2.1, 0.5, 80, 4, 8)]   // 6 → next multiple of 4
    [InlineData(2.0, 0.5, 100, 1, 4)]
    [InlineData(0.1, 0.5, 80, 1, 2)]   // below minReplicas 2
    [InlineData(100, 0.5, 80, 1, 10)]  // above maxReplicas 10
    public void Replicas_Forecast_FollowsFormulaClampAndMultiple(double total, double perPod, double utilization, int multipleOf, int expected)
    {
        var horizontal = new HorizontalSpec { Mode = TargetMode.Recommendation, MinReplicas = 2, MaxReplicas = 10, MultipleOf = multipleOf };

        var replicas = SuggestionBuilder.Replicas(horizontal, total, perPod, utilization, autoscalerMax: null);

        Assert.Equal(expected, replicas);
    }

    [Fact]
    public void Replicas_NoSpecMax_ClampedToAutoscalerMax()
    {
        var horizontal = new HorizontalSpec { Mode = TargetMode.Recommendation };

        var replicas = SuggestionBuilder.Replicas(horizontal, 100, 0.5, 80, autoscalerMax: 7);

        Assert.Equal(7, replicas);
    }

    private static class AVertical
    {
        public static VerticalSpec Plain() => new() { Mode = TargetMode.Recommendation };

        public static VerticalSpec WithCpu(ResourcePolicy cpu) => Plain() with { Containers = [new ContainerPolicy { Name = "app", Cpu = cpu }] };

        public static VerticalSpec WithMemory(ResourcePolicy memory) => Plain() with { Containers = [new ContainerPolicy { Name = "*", Memory = memory }] };
    }

    private static class AContainer
    {
        public static ContainerResources App(string cpu = "250m", string memory = "256Mi", ResourceAmounts? limits = null) => new(
            "app",
            new ResourceAmounts { Cpu = Quantity.Parse(cpu), Memory = Quantity.Parse(memory) },
            limits ?? new ResourceAmounts { Cpu = Quantity.Parse("1"), Memory = Quantity.Parse("1Gi") });
    }
}
