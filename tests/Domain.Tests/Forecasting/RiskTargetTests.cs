using Xunit;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Tests.Forecasting;

public class RiskTargetTests
{
    [Theory]
    [InlineData(ModelMode.CostOptimized, null, 0.05)]
    [InlineData(ModelMode.Balanced, null, 0.02)]
    [InlineData(ModelMode.AssuranceOptimized, null, 0.005)]
    [InlineData(ModelMode.Percentile, 99.0, 0.01)]
    [InlineData(ModelMode.Percentile, 95.0, 0.05)]
    public void For_Mode_MapsToRiskTarget(ModelMode mode, double? percentile, double expected)
    {
        Assert.Equal(expected, RiskTarget.For(mode, percentile), 10);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.0)]
    [InlineData(100.0)]
    public void For_PercentileWithoutValidValue_Throws(double? percentile)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RiskTarget.For(ModelMode.Percentile, percentile));
    }
}
