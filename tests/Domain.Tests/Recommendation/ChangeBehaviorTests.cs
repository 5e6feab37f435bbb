using Thoras.Domain.Forecasting;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using SpecMode = Thoras.Domain.Targets.ModelMode;
using Thoras.Domain.Tests.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Recommendation;

public sealed class ChangeBehaviorTests
{
    [Fact]
    public void ForVertical_NothingSet_ProductDefaults()
    {
        Assert.Equal(ChangeBehavior.Default, ChangeBehavior.ForVertical(null, UsageSeries.Cpu));
    }

    [Fact]
    public void ForVertical_PercentScaleUpAndAbsoluteScaleDown_EachDirectionItsOwn()
    {
        var behavior = new ScalingBehavior<ResourceAmounts>
        {
            ScaleUp = new() { Type = ChangeMinimumType.Percent, Percent = 25 },
            ScaleDown = new() { Type = ChangeMinimumType.Absolute, Absolute = new() { Cpu = Quantity.Parse("50m"), Memory = Quantity.Parse("64Mi") } },
            MaxChangesPerDay = 12,
        };

        var cpu = ChangeBehavior.ForVertical(behavior, UsageSeries.Cpu);
        var memory = ChangeBehavior.ForVertical(behavior, UsageSeries.Memory);

        Assert.Equal((ChangeStep.Percent(25), ChangeStep.Absolute(0.05), 12), (cpu.RaiseStep, cpu.LowerStep, cpu.BudgetPerDay));
        Assert.Equal(ChangeStep.Absolute(64 * 1024 * 1024), memory.LowerStep);
    }

    [Fact]
    public void ForVertical_AbsoluteWithoutThisResource_Default()
    {
        var behavior = new ScalingBehavior<ResourceAmounts> { ScaleUp = new() { Type = ChangeMinimumType.Absolute, Absolute = new() { Cpu = Quantity.Parse("50m") } } };

        Assert.Equal(ChangeBehavior.Default.RaiseStep, ChangeBehavior.ForVertical(behavior, UsageSeries.Memory).RaiseStep);
    }

    [Fact]
    public void ForVertical_ThresholdPercentageOnly_BothSteps()
    {
        var behavior = ChangeBehavior.ForVertical(new ScalingBehavior<ResourceAmounts> { ThresholdPercentage = 20 }, UsageSeries.Cpu);

        Assert.Equal((ChangeStep.Percent(20), ChangeStep.Percent(20)), (behavior.RaiseStep, behavior.LowerStep));
    }

    [Fact]
    public void ForHorizontal_AbsoluteReplicas_CoresOfThatManyReplicas()
    {
        var behavior = new ScalingBehavior<int?> { ScaleUp = new() { Type = ChangeMinimumType.Absolute, Absolute = 2 } };

        // 2 replicas × 0.5 cores × 80 %.
        Assert.Equal(ChangeStep.Absolute(0.8), ChangeBehavior.ForHorizontal(behavior, 0.4).RaiseStep);
    }

    [Fact]
    public void ForecastSettings_For_ModelAndBehaviourOfTheDirection()
    {
        var spec = ASpec.VerticalDeployment() with
        {
            Model = new ModelSpec { Mode = SpecMode.CostOptimized, ForecastBufferPercentage = 5 },
            Vertical = ASpec.Vertical() with { Model = new ModelSpec { ForecastBlocks = TimeSpan.FromMinutes(30) }, ScalingBehavior = new() { MaxChangesPerDay = 6 } },
        };

        var settings = ForecastSettings.For(spec, ScalingDirection.Vertical, UsageSeries.Cpu, new ForecastOptions { RetrainEvery = TimeSpan.FromHours(3) });

        Assert.Equal(
            (0.05, TimeSpan.FromMinutes(30), 5.0, TimeSpan.FromHours(3), 6),
            (settings.RiskTarget, settings.ForecastHorizon, settings.BufferPercentage, settings.RetrainEvery, settings.Change.BudgetPerDay));
    }
}
