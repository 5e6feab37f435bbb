using Xunit;
using Thoras.Domain.Forecasting;

namespace Thoras.Domain.Tests.Forecasting;

public class UsageForecasterTests
{
    private static readonly ForecastSettings Settings = new() { MinLookback = TimeSpan.FromHours(6), TrainingWindow = TimeSpan.FromDays(2) };

    [Fact]
    public void Suggest_BeforeMinLookback_NotEnoughData()
    {
        var forecaster = Fed(new UsageSeriesBuilder().WithDailyWave(50, 10, 3, 1).Build());

        var forecast = forecaster.Suggest();

        Assert.False(forecast.HasEnoughDataToScale);
        Assert.Null(forecast.Suggestion);
    }

    [Fact]
    public void Suggest_MinLookbackShorterThanHorizon_NotEnoughDataUntilTrainable()
    {
        // min_lookback 10 min, horizon 15 min (3 blocks): training needs 5 blocks, so 4 are not enough.
        var settings = Settings with { MinLookback = TimeSpan.FromMinutes(10) };
        var blocks = new UsageSeriesBuilder().WithConstant(5, 2).Build();

        Assert.False(Fed(blocks.Take(4), settings).Suggest().HasEnoughDataToScale);
        Assert.True(Fed(blocks, settings).Suggest().HasEnoughDataToScale);
    }

    [Fact]
    public void Suggest_AfterMinLookback_SuggestionAboveRecentLevel()
    {
        var forecaster = Fed(new UsageSeriesBuilder().WithDailyWave(600, 10, 3, 1).Build());

        var forecast = forecaster.Suggest();

        Assert.True(forecast.HasEnoughDataToScale);
        Assert.InRange(forecast.Suggestion!.Value, 6, 30);
    }

    [Fact]
    public void Suggest_TwiceWithinCadence_TrainsOnce()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(601, 10, 3, 1).Build();
        var forecaster = Fed(blocks.Take(600));
        forecaster.Suggest();
        var model = forecaster.Predictor.Model;

        forecaster.Observe(blocks[600]);
        forecaster.Suggest();

        Assert.Same(model, forecaster.Predictor.Model);
    }

    [Fact]
    public void Suggest_CadencePassed_Retrains()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(700, 10, 3, 1).Build();
        var forecaster = Fed(blocks.Take(600));
        forecaster.Suggest();
        var model = forecaster.Predictor.Model;

        foreach (var block in blocks.Skip(600).Take(72))
        {
            forecaster.Observe(block);
        }

        forecaster.Suggest();

        Assert.NotSame(model, forecaster.Predictor.Model);
    }

    [Fact]
    public void Suggest_Buffer_RaisesSuggestionByPercentage()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(600, 10, 3, 1).Build();
        var plain = Fed(blocks).Suggest().Suggestion!.Value;

        var buffered = Fed(blocks, Settings with { BufferPercentage = 10 }).Suggest().Suggestion!.Value;

        Assert.Equal(plain * 1.1, buffered, 9);
    }

    [Fact]
    public void LoadState_SavedForecaster_SameSuggestionWithoutRetraining()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(600, 10, 3, 1).Build();
        var original = Fed(blocks);
        original.Suggest();
        using var state = new MemoryStream();
        original.SaveState(state);
        state.Position = 0;

        var restored = UsageForecaster.LoadState(state, Settings, blocks);

        Assert.Equal(original.Suggest().Suggestion!.Value, restored.Suggest().Suggestion!.Value, 6);
    }

    [Fact]
    public void LoadState_SavedForecaster_KeepsBoundInForce()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(600, 10, 3, 1).Build();
        var original = Fed(blocks);
        original.Suggest();
        using var state = new MemoryStream();
        original.SaveState(state);
        state.Position = 0;

        var restored = UsageForecaster.LoadState(state, Settings, blocks);

        Assert.Equal(original.Calibrator.LastBound, restored.Calibrator.LastBound);
    }

    [Fact]
    public void LoadState_UnknownVersion_Throws()
    {
        using var state = new MemoryStream([9, 0, 0, 0]);

        Assert.Throws<InvalidDataException>(() => UsageForecaster.LoadState(state, Settings, []));
    }

    [Fact]
    public void SuggestEach_SpikeInLastBlock_FloorAtBalancedNotAtCostOptimized()
    {
        // Flat at 4 for two days, then one block at 10: the model sees no reason to expect it again, so only the
        // recent-peak floor keeps balanced (2 %) at 95 % of it; cost_optimized (5 %) has no floor.
        var blocks = new UsageSeriesBuilder().WithConstant(600, 4).Build().ToList();
        var last = blocks[^1];
        blocks.Add(last with { Start = last.Start + Settings.Block, Max = 10, Mean = 10 });
        var forecaster = new UsageForecaster(Settings with { RiskTarget = 0.02 }, [0.05]);
        foreach (var block in blocks)
        {
            forecaster.Observe(block);
        }

        var forecasts = forecaster.SuggestEach();

        Assert.InRange(forecasts[0].Suggestion!.Value, UsageForecaster.RecentFloorFactor * 10, 10 * UsageForecaster.PeakCapFactor);
        Assert.InRange(forecasts[1].Suggestion!.Value, 4, 9);
    }

    [Fact]
    public void Observe_NonContiguousBlock_Throws()
    {
        var blocks = new UsageSeriesBuilder().WithConstant(3, 1).Build();
        var forecaster = Fed(blocks.Take(1));

        Assert.Throws<ArgumentException>(() => forecaster.Observe(blocks[2]));
    }

    [Fact]
    public void Suggest_FlatSeries_SuggestsTheFlatLevel()
    {
        var forecaster = Fed(new UsageSeriesBuilder().WithConstant(600, 4).Build());

        var suggestion = forecaster.Suggest().Suggestion!.Value;

        Assert.Equal(4, suggestion, 3);
    }

    private static UsageForecaster Fed(IEnumerable<UsageBlock> blocks, ForecastSettings? settings = null)
    {
        var forecaster = new UsageForecaster(settings ?? Settings);
        foreach (var block in blocks)
        {
            forecaster.Observe(block);
        }

        return forecaster;
    }
}
