using Thoras.Domain.Recommendation;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Recommendation;

public sealed class ForecastBufferTests
{
    [Theory]
    [InlineData(100.0, 0.0, 100.0)]
    [InlineData(100.0, 10.0, 110.0)]
    [InlineData(0.5, 100.0, 1.0)]
    public void Apply_Percent_RaisesTheBound(double bound, double percent, double expected)
    {
        Assert.Equal(expected, ForecastBuffer.Apply(bound, percent), 12);
    }

    [Fact]
    public void Apply_NegativePercent_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ForecastBuffer.Apply(1, -5));
    }
}

public sealed class QuantizeTests
{
    private const double Mi = 1024 * 1024;

    [Theory]
    [InlineData(0.3301, "331m")]
    [InlineData(0.331, "331m")]
    [InlineData(2.0, "2")]
    [InlineData(0.0, "1m")]
    public void Cpu_Cores_RoundedUpToMillicores(double cores, string expected)
    {
        Assert.Equal(Quantity.Parse(expected), Quantize.Cpu(cores));
    }

    [Theory]
    [InlineData(300.2 * Mi, "301Mi")]
    [InlineData(1024 * Mi, "1Gi")]
    [InlineData(0.0, "1Mi")]
    public void Memory_Bytes_RoundedUpToMebibytes(double bytes, string expected)
    {
        Assert.Equal(Quantity.Parse(expected), Quantize.Memory(bytes));
    }
}

public sealed class SpecBoundsTests
{
    [Theory]
    [InlineData(5.0, null, null, 5.0)]
    [InlineData(150.0, null, 100.0, 100.0)]
    [InlineData(0.5, 1.0, 100.0, 1.0)]
    [InlineData(5.0, 10.0, 2.0, 10.0)] // crossed bounds: the lower wins
    public void Clamp_Number_WithinLowerAndUpper(double value, double? lower, double? upper, double expected)
    {
        Assert.Equal(expected, SpecBounds.Clamp(value, lower, upper));
    }

    [Theory]
    [InlineData("50m", "200m", "1", "200m")]
    [InlineData("3", "200m", "1", "1")]
    [InlineData("500m", "200m", "1", "500m")]
    public void Clamp_Quantity_WithinLowerboundAndUpperbound(string value, string lower, string upper, string expected)
    {
        var policy = new ResourcePolicy { Lowerbound = Quantity.Parse(lower), Upperbound = Quantity.Parse(upper) };

        Assert.Equal(Quantity.Parse(expected), SpecBounds.Clamp(Quantity.Parse(value), policy));
    }

    [Theory]
    [InlineData(5, 1, 2, 10, null, 5)]
    [InlineData(1, 1, 2, 10, null, 2)]   // below minReplicas
    [InlineData(50, 1, 2, 10, null, 10)] // above maxReplicas
    [InlineData(6, 4, 2, 10, null, 8)]   // up to the next multiple of 4
    [InlineData(50, 1, 2, null, 7, 7)]   // no spec max: the HPA's
    public void Replicas_Cases_ClampedThenRoundedUp(int replicas, int multipleOf, int min, int? max, int? autoscalerMax, int expected)
    {
        var horizontal = new HorizontalSpec { Mode = TargetMode.Recommendation, MinReplicas = min, MaxReplicas = max, MultipleOf = multipleOf };

        Assert.Equal(expected, SpecBounds.Replicas(replicas, horizontal, autoscalerMax));
    }
}

public sealed class LimitsTests
{
    [Fact]
    public void Apply_RatioSet_LimitIsRequestTimesRatio()
    {
        var setting = Limits.Apply(Quantity.Parse("300m"), 2, Quantity.Parse("1"));

        Assert.Equal(new ResourceSetting(Quantity.Parse("300m"), Quantity.Parse("600m"), true), setting);
    }

    [Fact]
    public void Apply_NoRatioRequestAboveLimit_RequestCappedAndLimitKept()
    {
        var setting = Limits.Apply(Quantity.Parse("800m"), null, Quantity.Parse("500m"));

        Assert.Equal(new ResourceSetting(Quantity.Parse("500m"), Quantity.Parse("500m"), false), setting);
    }

    [Fact]
    public void Apply_NoRatioNoLimit_RequestAsItIs()
    {
        var setting = Limits.Apply(Quantity.Parse("800m"), null, null);

        Assert.Equal(new ResourceSetting(Quantity.Parse("800m"), null, false), setting);
    }
}
