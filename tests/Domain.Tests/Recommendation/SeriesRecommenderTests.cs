using Thoras.Domain.Forecasting;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Tests.Forecasting;
using Xunit;

namespace Thoras.Domain.Tests.Recommendation;

public sealed class SeriesRecommenderTests
{
    private static readonly ForecastSettings Settings = new() { MinLookback = TimeSpan.FromHours(6), TrainingWindow = TimeSpan.FromDays(2) };

    [Fact]
    public void Recommend_BeforeMinLookback_NotEnoughData()
    {
        var recommender = Fed(new UsageSeriesBuilder().WithDailyWave(50, 10, 3, 1).Build());

        var forecast = recommender.Recommend();

        Assert.False(forecast.HasEnoughDataToScale);
        Assert.Null(forecast.Suggestion);
    }

    [Fact]
    public void Recommend_AfterMinLookback_BoundAboveRecentLevel()
    {
        var recommender = Fed(new UsageSeriesBuilder().WithDailyWave(600, 10, 3, 1).Build());

        var forecast = recommender.Recommend();

        Assert.True(forecast.HasEnoughDataToScale);
        Assert.InRange(forecast.Suggestion!.Value, 6, 30);
    }

    [Fact]
    public void Recommend_TwiceWithinCadence_TrainsOnce()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(601, 10, 3, 1).Build();
        var recommender = Fed(blocks.Take(600));
        recommender.Recommend();
        var model = recommender.Predictor.Model;

        recommender.Observe(blocks[600]);
        recommender.Recommend();

        Assert.Same(model, recommender.Predictor.Model);
    }

    [Fact]
    public void Recommend_CadencePassed_Retrains()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(700, 10, 3, 1).Build();
        var recommender = Fed(blocks.Take(600));
        recommender.Recommend();
        var model = recommender.Predictor.Model;

        foreach (var block in blocks.Skip(600).Take(72))
        {
            recommender.Observe(block);
        }

        recommender.Recommend();

        Assert.NotSame(model, recommender.Predictor.Model);
    }

    [Fact]
    public void Recommend_Buffer_RaisesBoundByPercentage()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(600, 10, 3, 1).Build();
        var plain = Fed(blocks).Recommend().Suggestion!.Value;

        var buffered = Fed(blocks, Settings with { BufferPercentage = 10 }).Recommend().Suggestion!.Value;

        Assert.Equal(plain * 1.1, buffered, 9);
    }

    [Fact]
    public void Recommend_FlatSeries_BoundIsTheFlatLevel()
    {
        var recommender = Fed(new UsageSeriesBuilder().WithConstant(600, 4).Build());

        Assert.Equal(4, recommender.Recommend().Suggestion!.Value, 3);
    }

    [Fact]
    public void RecommendEach_SpikeInLastBlock_FloorAtBalancedNotAtCostOptimized()
    {
        // Flat at 4 for two days, then one block at 10: the model sees no reason to expect it again, so only the
        // recent-peak floor keeps balanced (2 %) at 95 % of it; cost_optimized (5 %) has no floor.
        var blocks = new UsageSeriesBuilder().WithConstant(600, 4).WithValues(10).Build();
        var recommender = new SeriesRecommender(Settings with { RiskTarget = 0.02 }, [0.05]);
        foreach (var block in blocks)
        {
            recommender.Observe(block);
        }

        var forecasts = recommender.RecommendEach();

        Assert.InRange(forecasts[0].Suggestion!.Value, PeakGuard.FloorFactor * 10, 10 * PeakGuard.CapFactor);
        Assert.InRange(forecasts[1].Suggestion!.Value, 4, 9);
    }

    [Fact]
    public void Observe_BlockInTheIntervalInForce_ScoredAgainstIt()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(601, 10, 3, 1).Build();
        var recommender = Fed(blocks.Take(600));
        recommender.Recommend();
        var before = recommender.Lanes[0].Conformal;

        recommender.Observe(blocks[600]);

        Assert.Equal(before.Observe(recommender.Lanes[0].InForce!.Prediction, recommender.Lanes[0].InForce!.Bound, blocks[600].Max), recommender.Lanes[0].Conformal);
    }

    [Fact]
    public void Observe_Gap_NotScored()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(601, 10, 3, 1).Build();
        var recommender = Fed(blocks.Take(600));
        recommender.Recommend();
        var before = recommender.Lanes[0].Conformal;

        recommender.Observe(blocks[600] with { Count = 0 });

        Assert.Same(before, recommender.Lanes[0].Conformal);
    }

    [Fact]
    public void Recommend_HeldBoundWithinLowerStep_ReportsNoChange()
    {
        var blocks = new UsageSeriesBuilder().WithConstant(602, 4).Build();
        var recommender = Fed(blocks.Take(601));
        var first = recommender.Recommend();

        recommender.Observe(blocks[601]);
        var second = recommender.Recommend();

        Assert.Equal((true, false, first.Suggestion), (first.Changed, second.Changed, second.Suggestion));
    }

    [Fact]
    public void LoadState_SavedAfterARecommendation_NextRecommendationIdentical()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(640, 10, 3, 1).Build();
        var original = Fed(blocks.Take(600));
        original.Recommend();
        using var state = new MemoryStream();
        original.SaveState(state);
        state.Position = 0;
        foreach (var block in blocks.Skip(600))
        {
            original.Observe(block);
        }

        var restored = SeriesRecommender.LoadState(state, Settings, blocks);

        Assert.Equal(original.Lanes[0], restored.Lanes[0]);
        Assert.Equal(original.Recommend(), restored.Recommend());
    }

    [Fact]
    public void SaveState_NextForecastWithoutRetraining_SameModelSectionOtherMemory()
    {
        // Cadence 6 h: forecasts 15 minutes apart use the same model, so only the memory after the model section moves.
        var blocks = new UsageSeriesBuilder().WithDailyWave(603, 10, 3, 1).Build();
        var recommender = Fed(blocks.Take(600));
        recommender.Recommend();
        var first = Saved(recommender);
        foreach (var block in blocks.Skip(600))
        {
            recommender.Observe(block);
        }

        recommender.Recommend();
        var second = Saved(recommender);

        var split = SeriesRecommender.ModelSectionLength(first);
        Assert.InRange(split, 29, first.Length - 1);
        Assert.Equal(split, SeriesRecommender.ModelSectionLength(second));
        Assert.Equal(first[..split], second[..split]);
        Assert.NotEqual(first[split..], second[split..]);
    }

    [Fact]
    public void SaveState_AfterRetraining_OtherModelSection()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(700, 10, 3, 1).Build();
        var recommender = Fed(blocks.Take(600));
        recommender.Recommend();
        var first = Saved(recommender);
        foreach (var block in blocks.Skip(600))
        {
            recommender.Observe(block);  // 100 blocks: past the 6 h cadence
        }

        recommender.Recommend();
        var second = Saved(recommender);

        Assert.NotEqual(first[..SeriesRecommender.ModelSectionLength(first)], second[..SeriesRecommender.ModelSectionLength(second)]);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 3, 0, 0, 0, 1, 2, 3 })]  // another version: all one section
    [InlineData(new byte[] { 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]  // version 4 (scores scaled by half the hour's volatility)
    public void ModelSectionLength_NotThisVersionsState_WholeLength(byte[] state)
    {
        Assert.Equal(state.Length, SeriesRecommender.ModelSectionLength(state));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]  // scores scaled by half the last hour's and half the last day's volatility: rebuilt
    public void LoadState_OtherVersion_Throws(byte version)
    {
        using var state = new MemoryStream([version, 0, 0, 0]);

        Assert.Throws<InvalidDataException>(() => SeriesRecommender.LoadState(state, Settings, []));
    }

    [Fact]
    public void Observe_NonContiguousBlock_Throws()
    {
        var blocks = new UsageSeriesBuilder().WithConstant(3, 1).Build();
        var recommender = Fed(blocks.Take(1));

        Assert.Throws<ArgumentException>(() => recommender.Observe(blocks[2]));
    }

    private static byte[] Saved(SeriesRecommender recommender)
    {
        using var state = new MemoryStream();
        recommender.SaveState(state);
        return state.ToArray();
    }

    private static SeriesRecommender Fed(IEnumerable<UsageBlock> blocks, ForecastSettings? settings = null)
    {
        var recommender = new SeriesRecommender(settings ?? Settings);
        foreach (var block in blocks)
        {
            recommender.Observe(block);
        }

        return recommender;
    }
}
