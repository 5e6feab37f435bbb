using Thoras.Domain.Forecasting;
using Xunit;

namespace Thoras.Domain.Tests.Forecasting;

public sealed class FeatureBuilderTests
{
    private const int Horizon = 3;

    [Theory]
    [InlineData(13)]
    [InlineData(300)]
    [InlineData(2100)]
    public void Build_FutureBlocksChanged_SameFeatures(int t)
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(2400, 10, 4, 2).Build();
        var before = Features(blocks, 0, t);

        // Any feature that reads block t or later sees these changes.
        for (var i = t; i < blocks.Count; i++)
        {
            blocks[i] = blocks[i] with { Max = 1000 + i, Mean = 900 + i };
        }

        Assert.Equal(before, Features(blocks, 0, t));
    }

    [Fact]
    public void Build_BlocksBeforeTheWindowChanged_SameFeatures()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(2400, 10, 4, 2).Build();
        var before = Features(blocks, 300, 2100);

        for (var i = 0; i < 300; i++)
        {
            blocks[i] = blocks[i] with { Max = 1000 + i };
        }

        Assert.Equal(before, Features(blocks, 300, 2100));
    }

    [Fact]
    public void Build_LastPastBlockChanged_FeaturesChange()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(400, 10, 4, 2).Build();
        var before = Features(blocks, 0, 400);

        blocks[399] = blocks[399] with { Max = 50 };

        Assert.NotEqual(before, Features(blocks, 0, 400));
    }

    [Fact]
    public void Build_GapValueChanged_SameFeatures()
    {
        // A gap carries the previous block's values forward; whatever it carries, nothing reads it.
        var blocks = new UsageSeriesBuilder().WithDailyWave(400, 10, 4, 2).Build();
        blocks[390] = blocks[390] with { Count = 0 };
        var before = Features(blocks, 0, 400);

        blocks[390] = blocks[390] with { Max = 500, Mean = 400 };

        Assert.Equal(before, Features(blocks, 0, 400));
    }

    [Fact]
    public void Build_ConstantUsage_LevelRatiosAreZero()
    {
        var features = Features(new UsageSeriesBuilder().WithConstant(400, 5).Build(), 0, 400);

        Assert.Equal((0f, 0f, 0f), (features[0], features[5], features[9]));
    }

    [Fact]
    public void Build_DayAgoPeakTwiceTheLevel_DayAgoFeatureIsLogTwo()
    {
        var blocks = new UsageSeriesBuilder().WithConstant(400, 5).Build();
        blocks[400 - 288 + 1] = blocks[400 - 288 + 1] with { Max = 10 };

        var features = Features(blocks, 0, 400);

        Assert.Equal(Math.Log(10.05 / 5.05), features[9], 5);
    }

    [Fact]
    public void Build_LastHourAGap_LevelFromTheDayAndHoursSinceMeasured()
    {
        var blocks = new UsageSeriesBuilder().WithConstant(400, 5).Build();
        for (var i = 376; i < 400; i++)
        {
            blocks[i] = blocks[i] with { Max = 99, Count = 0 };
        }

        var features = Features(blocks, 0, 400);

        Assert.Equal((0f, FeatureBuilder.Missing, 2f), (features[0], features[3], features[24]));
    }

    [Fact]
    public void Build_NoMeasuredBlockInTheWindow_ReturnsFalse()
    {
        var blocks = new UsageSeriesBuilder().WithConstant(20, 5).Build().Select(b => b with { Count = 0 }).ToList();

        Assert.False(FeatureBuilder.Build(History(blocks), 0, 20, UsageSeriesBuilder.Monday, Horizon, new float[FeatureBuilder.Count]));
    }

    [Fact]
    public void Build_StepBeyondNextBlock_Throws()
    {
        var history = History(new UsageSeriesBuilder().WithConstant(10, 5).Build());

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            FeatureBuilder.Build(history, 0, 11, UsageSeriesBuilder.Monday, Horizon, new float[FeatureBuilder.Count]));
    }

    [Theory]
    [InlineData(0, 400, -1, 0, 287)]    // constant usage: the least scale
    [InlineData(0, 400, 399, 1, 287)]   // a jump in the last hour counts once among the day's 287 pairs, not half the hour's
    [InlineData(0, 400, 200, 2, 287)]   // a spike older than an hour but inside the day counts in full (up and down)
    [InlineData(0, 400, 100, 0, 287)]   // a spike older than a day is not read
    [InlineData(0, 100, 50, 2, 99)]     // a history younger than a day: its 99 pairs
    [InlineData(300, 400, 250, 0, 99)]  // a spike before the window is not read
    [InlineData(300, 400, 350, 2, 99)]  // the window cuts the day to 99 pairs
    public void Scale_OneSpike_LeastScalePlusTheDaysMeanLogStep(int windowStart, int t, int spikeAt, int jumps, int pairs)
    {
        // Level 5, one block at 10, epsilon 0.05: each step onto or off the spike is ln(10.05 / 5.05).
        var blocks = new UsageSeriesBuilder().WithConstant(400, 5).Build();
        if (spikeAt >= 0)
        {
            blocks[spikeAt] = blocks[spikeAt] with { Max = 10 };
        }

        var scale = FeatureBuilder.Scale(History(blocks), windowStart, t);

        Assert.Equal(0.005 + (jumps * Math.Log(10.05 / 5.05) / pairs), scale, 12);
    }

    [Fact]
    public void Scale_NoNeighbouringMeasuredPairInTheDay_LeastScale()
    {
        // Measured blocks alternate 5 and 10 with a gap between each two: no step between measured neighbours.
        var blocks = new UsageSeriesBuilder().WithConstant(400, 5).Build()
            .Select((b, i) => i % 2 == 1 ? b with { Count = 0 } : b with { Max = i % 4 == 0 ? 5 : 10 })
            .ToList();

        Assert.Equal(0.005, FeatureBuilder.Scale(History(blocks), 0, 400), 12);
    }

    private static float[] Features(IReadOnlyList<UsageBlock> blocks, int windowStart, int t)
    {
        var features = new float[FeatureBuilder.Count];
        Assert.True(FeatureBuilder.Build(History(blocks), windowStart, t, UsageSeriesBuilder.Monday.AddMinutes(5 * t), Horizon, features));
        return features;
    }

    private static UsageHistory History(IEnumerable<UsageBlock> blocks)
    {
        var history = new UsageHistory();
        history.UseEpsilon(0.05);
        foreach (var block in blocks)
        {
            history.Append(block);
        }

        return history;
    }
}
