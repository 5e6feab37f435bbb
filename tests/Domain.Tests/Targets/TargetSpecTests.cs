using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

public class TargetSpecTests
{
    [Fact]
    public void WithMode_MakingSecondDirectionAutonomous_IsRefusedNamingTheOther()
    {
        var spec = ASpec.Both(TargetMode.Autonomous, TargetMode.Recommendation);

        var error = Assert.Throws<InvalidModeChangeException>(() => spec.WithMode(ScalingDirection.Horizontal, TargetMode.Autonomous));

        Assert.Equal(
            "Cannot make horizontal autonomous: vertical is already autonomous, and only one direction may be autonomous at a time. Switch vertical to recommendation first.",
            error.Message);
    }

    [Fact]
    public void WithMode_DirectionNotSet_IsRefused()
    {
        var spec = ASpec.VerticalDeployment();

        var error = Assert.Throws<InvalidModeChangeException>(() => spec.WithMode(ScalingDirection.Horizontal, TargetMode.Recommendation));

        Assert.Equal("This target has no spec.horizontal, so it is not scaled horizontally and has no horizontal mode to change.", error.Message);
    }

    [Fact]
    public void WithMode_SwitchingTheAutonomousDirectionAway_IsAllowed()
    {
        var spec = ASpec.Both(TargetMode.Autonomous, TargetMode.Recommendation);

        var changed = spec.WithMode(ScalingDirection.Vertical, TargetMode.Recommendation);

        Assert.Null(changed.AutonomousDirection);
    }

    [Fact]
    public void WithMode_OtherDirectionNotAutonomous_SetsTheMode()
    {
        var spec = ASpec.Both(TargetMode.Observation, TargetMode.Recommendation);

        var changed = spec.WithMode(ScalingDirection.Horizontal, TargetMode.Autonomous);

        Assert.Equal(ScalingDirection.Horizontal, changed.AutonomousDirection);
    }

    [Fact]
    public void WithMode_Refused_LeavesTheSpecUnchanged()
    {
        var spec = ASpec.Both(TargetMode.Recommendation, TargetMode.Autonomous);

        Assert.Throws<InvalidModeChangeException>(() => spec.WithMode(ScalingDirection.Vertical, TargetMode.Autonomous));

        Assert.Equal(TargetMode.Recommendation, spec.ModeOf(ScalingDirection.Vertical));
    }

    [Fact]
    public void ModelFor_NothingSet_IsTheDefaults()
    {
        var model = ASpec.VerticalDeployment().ModelFor(ScalingDirection.Vertical);

        Assert.Equal(new ForecastModel(ModelMode.Balanced, null, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(5), 0, TimeSpan.FromHours(24)), model);
    }

    [Fact]
    public void ModelFor_DirectionOverride_TakesEachFieldItSetsOverSpecModel()
    {
        var spec = ASpec.Both(TargetMode.Recommendation, TargetMode.Recommendation) with
        {
            Model = new ModelSpec { Mode = ModelMode.CostOptimized, ForecastBlocks = TimeSpan.FromHours(1) },
            Horizontal = ASpec.Horizontal() with { Model = new ModelSpec { Mode = ModelMode.Percentile, PercentileValue = 95 } },
        };

        var model = spec.ModelFor(ScalingDirection.Horizontal);

        Assert.Equal((ModelMode.Percentile, 95d, TimeSpan.FromHours(1)), (model.Mode, model.PercentileValue!.Value, model.ForecastBlocks));
    }

    [Fact]
    public void ModelFor_OtherDirectionOverride_DoesNotApply()
    {
        var spec = ASpec.Both(TargetMode.Recommendation, TargetMode.Recommendation) with
        {
            Horizontal = ASpec.Horizontal() with { Model = new ModelSpec { Mode = ModelMode.AssuranceOptimized } },
        };

        Assert.Equal(ModelMode.Balanced, spec.ModelFor(ScalingDirection.Vertical).Mode);
    }

    [Fact]
    public void PolicyFor_ContainerWithoutOwnEntry_GetsTheWildcard()
    {
        var wildcard = new ContainerPolicy { Name = "*", Cpu = new() { Lowerbound = Quantity.Parse("50m") } };
        var vertical = ASpec.Vertical() with { Containers = [new() { Name = "web" }, wildcard] };

        Assert.Same(wildcard, vertical.PolicyFor("sidecar"));
    }

    [Fact]
    public void PolicyFor_ContainerWithOwnEntry_GetsItsOwn()
    {
        var own = new ContainerPolicy { Name = "web" };
        var vertical = ASpec.Vertical() with { Containers = [new() { Name = "*" }, own] };

        Assert.Same(own, vertical.PolicyFor("web"));
    }
}
