using Xunit;
using Thoras.Domain.Forecasting;

namespace Thoras.Domain.Tests.Forecasting;

public class FeatureBuilderTests
{
    private const int Horizon = 3;
    private const double Epsilon = 0.01;

    [Theory]
    [InlineData(13)]
    [InlineData(300)]
    [InlineData(2100)]
    public void Build_FutureBlocksChanged_SameFeatures(int t)
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(2400, 10, 4, 2).Build();
        var start = UsageSeriesBuilder.Monday.AddMinutes(5 * t);
        var before = new float[FeatureBuilder.Count];
        FeatureBuilder.Build(blocks, t, start, Horizon, Epsilon, before);

        // Any feature that reads block t or later sees these changes.
        for (var i = t; i < blocks.Count; i++)
        {
            blocks[i] = blocks[i] with { Max = 1000 + i, Mean = 900 + i };
        }

        var after = new float[FeatureBuilder.Count];
        FeatureBuilder.Build(blocks, t, start, Horizon, Epsilon, after);

        Assert.Equal(before, after);
    }

    [Fact]
    public void Build_LastPastBlockChanged_FeaturesChange()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(400, 10, 4, 2).Build();
        var start = UsageSeriesBuilder.Monday.AddMinutes(5 * 400);
        var before = new float[FeatureBuilder.Count];
        FeatureBuilder.Build(blocks, 400, start, Horizon, Epsilon, before);

        blocks[399] = blocks[399] with { Max = 50 };
        var after = new float[FeatureBuilder.Count];
        FeatureBuilder.Build(blocks, 400, start, Horizon, Epsilon, after);

        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Build_ConstantUsage_LevelRatiosAreZero()
    {
        var blocks = new UsageSeriesBuilder().WithConstant(400, 5).Build();
        var features = new float[FeatureBuilder.Count];

        FeatureBuilder.Build(blocks, 400, UsageSeriesBuilder.Monday, Horizon, Epsilon, features);

        Assert.Equal(0f, features[0]);
        Assert.Equal(0f, features[5]);
        Assert.Equal(0f, features[9]);
    }

    [Fact]
    public void Build_DayAgoPeakTwiceTheLevel_DayAgoFeatureIsLogTwo()
    {
        var blocks = new UsageSeriesBuilder().WithConstant(400, 5).Build();
        blocks[400 - 288 + 1] = blocks[400 - 288 + 1] with { Max = 10 };
        var features = new float[FeatureBuilder.Count];

        FeatureBuilder.Build(blocks, 400, UsageSeriesBuilder.Monday, Horizon, 0, features);

        Assert.Equal(Math.Log(2), features[9], 5);
    }

    [Fact]
    public void Build_StepBeyondNextBlock_Throws()
    {
        var blocks = new UsageSeriesBuilder().WithConstant(10, 5).Build();

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            FeatureBuilder.Build(blocks, 11, UsageSeriesBuilder.Monday, Horizon, Epsilon, new float[FeatureBuilder.Count]));
    }
}
